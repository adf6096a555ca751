using System.Net;
using System.Net.WebSockets;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>Web:WebSocketAllowedOrigins: empty (default) lets pages of any origin use MQTT over WebSocket; once set, a
/// browser handshake from another origin gets 403 before any MQTT byte.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebSocketOriginTests
{
    [Test]
    public async Task Pages_of_any_origin_may_connect_by_default()
    {
        await using var broker = await WebBroker.StartAsync();
        using var socket = await SecuredWeb.OpenWebSocketAsync(broker, origin: "http://anywhere.example");

        Assert.That(await SecuredWeb.ConnectOverWebSocketAsync(socket, "any-origin", null, null), Is.Zero);
    }

    [Test]
    public async Task Foreign_origin_is_refused_403_once_allowed_origins_are_set_while_listed_own_and_absent_origins_connect()
    {
        await using var broker = await WebBroker.StartAsync("--Web:WebSocketAllowedOrigins:0", "https://pages.example");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => SecuredWeb.OpenWebSocketAsync(broker, origin: "http://evil.example"));
        using var listed = await SecuredWeb.OpenWebSocketAsync(broker, origin: "https://pages.example");
        using var own = await SecuredWeb.OpenWebSocketAsync(broker, origin: $"http://127.0.0.1:{broker.WebSocketPort}");
        using var notBrowser = await SecuredWeb.OpenWebSocketAsync(broker);

        Assert.That(refused!.Message + refused.InnerException?.Message, Does.Contain("403"));
        Assert.That(await SecuredWeb.ConnectOverWebSocketAsync(listed, "listed", null, null), Is.Zero);
        Assert.That(await SecuredWeb.ConnectOverWebSocketAsync(own, "own", null, null), Is.Zero);
        Assert.That(await SecuredWeb.ConnectOverWebSocketAsync(notBrowser, "no-origin", null, null), Is.Zero);
        Assert.That(broker.Broker.GetConnectedClients().Select(c => c.ClientId), Has.None.EqualTo("evil"));
    }
}

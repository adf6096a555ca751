using System.Globalization;
using System.Net;
using EmbeddedBroker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Tests.Configuration;

/// <summary>Where each web endpoint listens, and whether it is on, is configuration (docs/web.md).</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebPlacementTests
{
    [Test]
    public async Task Api_and_metrics_moved_to_the_http_listener_are_served_there_only()
    {
        var httpPort = FreePort.Next();
        await using var broker = await WebBroker.StartAsync(
            "--Listeners:Http:Enabled", "true",
            "--Listeners:Http:Port", httpPort.ToString(CultureInfo.InvariantCulture),
            "--Web:Api:On", "Http",
            "--Web:Metrics:On", "Both");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };

        Assert.Multiple(async () =>
        {
            Assert.That(await StatusAsync(http, "/api/stats"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(broker.Http, "/api/stats"), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await StatusAsync(http, "/metrics"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(broker.Http, "/metrics"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(broker.Http, "/healthz"), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(http, "/healthz"), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await StatusAsync(http, "/dashboard/"), Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Mqtt_over_websocket_is_not_accepted_on_the_plain_http_listener()
    {
        var httpPort = FreePort.Next();
        await using var broker = await WebBroker.StartAsync("--Listeners:Http:Enabled", "true", "--Listeners:Http:Port", httpPort.ToString(CultureInfo.InvariantCulture));

        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(async () =>
            (await RawWebSocketClient.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/mqtt"), "mqtt")).Dispose());
    }

    [TestCase("Api", "/api/stats")]
    [TestCase("Metrics", "/metrics")]
    [TestCase("Health", "/healthz")]
    [TestCase("Dashboard", "/dashboard/")]
    [TestCase("Samples", "/samples/vote.html")]
    public async Task Disabled_endpoint_is_404(string endpoint, string path)
    {
        await using var broker = await WebBroker.StartAsync($"--Web:{endpoint}:Enabled", "false");

        Assert.That(await StatusAsync(broker.Http, path), Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Disabled_mqtt_over_websocket_refuses_the_upgrade_but_keeps_the_api()
    {
        await using var broker = await WebBroker.StartAsync("--Web:MqttWebSocket:Enabled", "false");

        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(async () =>
            (await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt")).Dispose());
        Assert.That(await StatusAsync(broker.Http, "/api/stats"), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Endpoint_placed_on_a_disabled_http_listener_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await WebBroker.StartAsync("--Web:Api:On", "Http")).DisposeAsync());

        Assert.That(error!.Message, Does.Contain("Web:Api:On").And.Contain("Listeners:Http:Enabled"));
    }

    [Test]
    public async Task Same_port_for_both_listeners_stops_start_up()
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await WebBroker.StartAsync(
            "--ws-port", port, "--Listeners:Http:Enabled", "true", "--Listeners:Http:Port", port)).DisposeAsync());

        Assert.That(error!.Message, Does.Contain("Listeners:Http:Port"));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }
}

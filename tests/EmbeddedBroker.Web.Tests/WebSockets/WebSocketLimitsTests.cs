using System.Net;
using System.Net.WebSockets;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.WebSockets;

/// <summary>Subprotocol negotiation and size limits of the WebSocket listener (RFC 6455 sections 4.2.2 and 7.4.1).</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebSocketLimitsTests
{
    [Test]
    public async Task Mqtt31_subprotocol_is_answered_for_mqtt_3_1_clients()
    {
        await using var broker = await WebBroker.StartAsync();

        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqttv3.1");

        Assert.That(client.Socket.SubProtocol, Is.EqualTo("mqttv3.1"));
    }

    [Test]
    public async Task First_mqtt_subprotocol_in_the_clients_order_is_chosen()
    {
        await using var broker = await WebBroker.StartAsync();

        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "chat", "mqtt", "mqttv3.1");

        Assert.That(client.Socket.SubProtocol, Is.EqualTo("mqtt"));
    }

    [Test]
    public async Task Upgrade_without_subprotocol_is_accepted_by_default()
    {
        await using var broker = await WebBroker.StartAsync();

        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri());
        await client.SendAsync(MqttBytes.Connect);

        Assert.That(client.Socket.SubProtocol, Is.Null);
        Assert.That(await client.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));
    }

    [Test]
    public async Task Upgrade_without_subprotocol_is_refused_with_400_when_RequireSubprotocol_is_on()
    {
        await using var broker = await WebBroker.StartAsync("--Listeners:WebSocket:RequireSubprotocol", "true");

        var status = await RefusedStatusAsync(broker.WebSocketUri());

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Upgrade_offering_only_other_subprotocols_is_refused_with_400()
    {
        await using var broker = await WebBroker.StartAsync();

        var status = await RefusedStatusAsync(broker.WebSocketUri(), "chat");

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Message_over_MaxMessageSize_closes_with_1009()
    {
        await using var broker = await WebBroker.StartAsync("--Listeners:WebSocket:MaxMessageSize", "64");
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");
        await client.SendAsync(MqttBytes.Connect);
        await client.ReceiveBytesAsync(4);

        // 65 bytes in one message, sent as several frames: the limit is on the whole message.
        await client.SendAsync(new byte[65], frameSize: 16);

        Assert.That(await client.ReceiveCloseAsync(), Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task Messages_up_to_MaxMessageSize_are_accepted()
    {
        await using var broker = await WebBroker.StartAsync("--Listeners:WebSocket:MaxMessageSize", "17");
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");

        await client.SendAsync(MqttBytes.Connect); // exactly 17 bytes

        Assert.That(await client.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));
    }

    private static async Task<HttpStatusCode> RefusedStatusAsync(Uri uri, params string[] subprotocols)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var subprotocol in subprotocols)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, timeout.Token));
        return socket.HttpStatusCode;
    }
}

using System.Net.WebSockets;
using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.WebSockets;

/// <summary>MQTT over WebSocket (MQTT 3.1.1 section 6 / 5.0 section 6) through the same broker as TCP.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class MqttOverWebSocketTests
{
    private WebBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await WebBroker.StartAsync();

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [TestCase("/mqtt")]
    [TestCase("/")]
    [TestCase("/any/other/path")]
    public async Task Connect_on_any_path_gets_connack_and_the_mqtt_subprotocol_MQTT_6_0_0_4(string path)
    {
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(path), "mqtt");
        Assert.That(client.Socket.SubProtocol, Is.EqualTo("mqtt"));

        await client.SendAsync(MqttBytes.Connect);

        Assert.That(await client.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));
    }

    [Test]
    public async Task Packet_split_across_one_byte_frames_is_reassembled_MQTT_6_0_0_2()
    {
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");

        await client.SendAsync(MqttBytes.Connect, frameSize: 1);

        Assert.That(await client.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));
    }

    [Test]
    public async Task Packet_split_across_several_messages_is_reassembled_MQTT_6_0_0_2()
    {
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");

        await client.SendMessagesAsync(MqttBytes.Connect[..3], MqttBytes.Connect[3..10], MqttBytes.Connect[10..]);

        Assert.That(await client.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));
    }

    [Test]
    public async Task Several_packets_in_one_frame_are_all_handled_MQTT_6_0_0_2()
    {
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");

        await client.SendAsync([.. MqttBytes.Connect, .. MqttBytes.SubscribeT, .. MqttBytes.PublishTHi, .. MqttBytes.PingReq]);

        Assert.That(await client.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));
        // SUBACK, the message and PINGRESP, in any order: the broker may send the message before the SUBACK
        // (MQTT 3.1.1 section 3.8.4), and PINGRESP comes from the control lane.
        byte[][] answers = [MqttBytes.SubackT, MqttBytes.PublishTHi, MqttBytes.PingResp];
        var received = await client.ReceiveBytesAsync(answers.Sum(a => a.Length));
        var orders = from a in answers from b in answers from c in answers
                     where a != b && b != c && a != c
                     select (byte[])[.. a, .. b, .. c];
        Assert.That(orders.Any(order => order.SequenceEqual(received)), Is.True,
            $"SUBACK, PUBLISH and PINGRESP each once; got {Convert.ToHexString(received)}");
    }

    [Test]
    public async Task Text_frame_closes_the_connection_with_1003_MQTT_6_0_0_1()
    {
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");
        await client.SendAsync(MqttBytes.Connect);
        await client.ReceiveBytesAsync(4);

        await client.Socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        Assert.That(await client.ReceiveCloseAsync(), Is.EqualTo(WebSocketCloseStatus.InvalidMessageType));
        await broker.WaitForDisconnectAsync("ws1");
    }

    [Test]
    public async Task Client_close_frame_ends_the_mqtt_connection()
    {
        using var client = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");
        await client.SendAsync(MqttBytes.Connect);
        await client.ReceiveBytesAsync(4);
        Assert.That(broker.Broker.GetConnectedClients().Single(c => c.ClientId == "ws1").Transport, Is.EqualTo("ws"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.That(client.Socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        await broker.WaitForDisconnectAsync("ws1");
    }

    [Test]
    public async Task Websocket_dropped_without_close_handshake_publishes_the_will_MQTT_3_1_2_8()
    {
        await using var tcp = await broker.ConnectTcpClientAsync("will-watch");
        await tcp.SubscribeAsync(("will/t", MqttQualityOfService.AtMostOnce));
        var ws = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");
        await ws.SendAsync(MqttBytes.ConnectWithWill);
        Assert.That(await ws.ReceiveBytesAsync(4), Is.EqualTo(MqttBytes.ConnackAccepted));

        ws.Socket.Abort(); // the TCP connection goes away with no close frame and no DISCONNECT
        ws.Dispose();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var will = await tcp.Messages.ReadAsync(timeout.Token);
        Assert.That((will.Topic, Encoding.UTF8.GetString(will.Payload.Span)), Is.EqualTo(("will/t", "gone")));
    }

    [Test]
    public async Task Message_published_over_websocket_reaches_a_tcp_subscriber_and_the_recorder()
    {
        await using var tcp = await broker.ConnectTcpClientAsync("tcp-sub");
        await tcp.SubscribeAsync(("t", MqttQualityOfService.AtMostOnce));
        using var ws = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");

        await ws.SendAsync([.. MqttBytes.Connect, .. MqttBytes.PublishTHi]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await tcp.Messages.ReadAsync(timeout.Token);
        Assert.That((message.Topic, Encoding.UTF8.GetString(message.Payload.Span)), Is.EqualTo(("t", "hi")));
        await broker.WaitForExportsAsync("ws1");
    }

    [Test]
    public async Task Message_published_over_tcp_reaches_a_websocket_subscriber()
    {
        using var ws = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");
        await ws.SendAsync([.. MqttBytes.Connect, .. MqttBytes.SubscribeT]);
        await ws.ReceiveBytesAsync(4 + 5);
        await using var tcp = await broker.ConnectTcpClientAsync("tcp-pub");

        await tcp.PublishAsync("t", Encoding.UTF8.GetBytes("hi"), MqttQualityOfService.AtMostOnce);

        Assert.That(await ws.ReceiveBytesAsync(MqttBytes.PublishTHi.Length), Is.EqualTo(MqttBytes.PublishTHi));
    }
}

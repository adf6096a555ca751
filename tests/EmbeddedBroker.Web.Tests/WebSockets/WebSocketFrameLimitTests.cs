using System.Globalization;
using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.WebSockets;

/// <summary>
/// A WebSocket message whose frame header announces more than the limit (the listener's MaxMessageSize, and never more
/// than one largest MQTT packet) is refused at that header, before its payload is read or buffered: close 1009 (RFC
/// 6455 section 7.4.1), counted in /metrics. Sent by a raw client that writes only the header.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebSocketFrameLimitTests
{
    private const int MessageTooBig = 1009;

    [Test]
    public async Task A_frame_header_announcing_200_MB_is_refused_with_1009_before_any_payload_is_sent_RFC6455_7_4_1()
    {
        await using var broker = await WebBroker.StartAsync();
        using var client = await RawWebSocketFrames.OpenAsync(broker.WebSocketPort);
        await client.SendFrameAsync(MqttBytes.Connect);
        var (_, connAck) = await client.ReadFrameAsync();
        Assert.That(connAck, Is.EqualTo(MqttBytes.ConnackAccepted));

        await client.SendHeaderAsync(0x2, 200_000_000); // and not one byte of the payload

        Assert.That(await client.ReadCloseStatusAsync(), Is.EqualTo(MessageTooBig));
        Assert.That(await client.IsClosedByServerAsync(), Is.True, "the connection ends without waiting for the payload");
        await broker.WaitForDisconnectAsync("ws1");
        Assert.That(await RefusedCountAsync(broker), Is.EqualTo(1));
    }

    [Test]
    public async Task A_continuation_frame_taking_its_message_over_MaxMessageSize_is_refused_at_its_header()
    {
        await using var broker = await WebBroker.StartAsync("--Listeners:WebSocket:MaxMessageSize", "64");
        using var client = await RawWebSocketFrames.OpenAsync(broker.WebSocketPort);

        // The first fragment begins a CONNECT that announces 78 more bytes, so the MQTT side waits for the rest instead
        // of closing on garbage before the continuation's header is read.
        byte[] connectStart = [0x10, 78, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C];
        await client.SendFrameAsync([.. connectStart, .. new byte[40 - connectStart.Length]], final: false);
        await client.SendHeaderAsync(0x0, 40); // continuation: 80 bytes in all

        Assert.That(await client.ReadCloseStatusAsync(), Is.EqualTo(MessageTooBig));
        Assert.That(await RefusedCountAsync(broker), Is.EqualTo(1));
    }

    [Test]
    public async Task The_limit_follows_the_maximum_packet_size_when_that_is_smaller()
    {
        // MaxMessageSize stays at its default (the largest MQTT packet): one message may not carry more than one
        // largest packet of this broker, 100,000 + 5 bytes here.
        await using var broker = await WebBroker.StartAsync("--Broker:Capabilities:MaximumPacketSize", "100000");
        using var client = await RawWebSocketFrames.OpenAsync(broker.WebSocketPort);

        await client.SendHeaderAsync(0x2, 100_006);

        Assert.That(await client.ReadCloseStatusAsync(), Is.EqualTo(MessageTooBig));
    }

    [Test]
    public async Task Refused_messages_are_counted_each_and_logged_once_per_interval()
    {
        await using var broker = await WebBroker.StartAsync();
        var capture = broker.Services.GetRequiredService<ConsoleLogCapture>();
        capture.IsCapturing = true;

        const int abusers = 5;
        for (var i = 0; i < abusers; i++)
        {
            using var client = await RawWebSocketFrames.OpenAsync(broker.WebSocketPort);
            await client.SendHeaderAsync(0x2, 1L << 40);
            Assert.That(await client.ReadCloseStatusAsync(), Is.EqualTo(MessageTooBig));
        }

        await Eventually.HoldsAsync(async () => await RefusedCountAsync(broker) == abusers, () => "every refusal is counted", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var lines = capture.Last(ConsoleLogCapture.Capacity).Select(e => e.RenderMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.That(lines.Count(line => line.Contains("refused at its frame header", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", lines));
    }

    [Test]
    public async Task Control_frames_between_the_frames_of_a_message_do_not_count_towards_its_length()
    {
        await using var broker = await WebBroker.StartAsync("--Listeners:WebSocket:MaxMessageSize", "17");
        using var client = await RawWebSocketFrames.OpenAsync(broker.WebSocketPort);

        // CONNECT (exactly 17 bytes) in two frames with a PING of 100 bytes in between (RFC 6455 5.4: control frames interleave).
        await client.SendFrameAsync(MqttBytes.Connect[..10], final: false);
        await client.SendFrameAsync(new byte[100], opcode: 0x9);
        await client.SendFrameAsync(MqttBytes.Connect[10..], opcode: 0x0);

        var (pongOpcode, _) = await client.ReadFrameAsync();
        var (_, connAck) = await client.ReadFrameAsync();
        Assert.That(pongOpcode, Is.EqualTo(0xA));
        Assert.That(connAck, Is.EqualTo(MqttBytes.ConnackAccepted));
    }

    private static Task<long> RefusedCountAsync(WebBroker broker) => MetricsScrape.CounterAsync(broker, "embeddedbroker_websocket_messages_refused_total");
}

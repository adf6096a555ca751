using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// The broker-wide memory budget (MemoryLimitBytes) and the partial-packet timeout: abuse costs the abuser its
/// connection or its large publishes, never the broker its memory, and never the other clients their small messages.
/// </summary>
internal sealed class MemoryBudgetTests : BrokerScenario
{
    protected override MqttBrokerOptions Options => base.Options with
    {
        MemoryLimitBytes = 1024 * 1024,
        LargeMessageBytes = 1024,
        PartialPacketTimeout = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Fills the budget with QoS 1 messages queued for an offline persistent session.</summary>
    private async Task ExceedTheBudgetAsync()
    {
        var offline = await ConnectedClientAsync("offline", cleanSession: false);
        await offline.SubscribeAsync("fill", MqttQualityOfService.AtLeastOnce);
        await offline.DisconnectAsync();
        var chunk = new string('x', 100_000);
        for (var i = 0; i < 12; i++)
            await Broker.PublishAsync(Message("fill", chunk, MqttQualityOfService.AtLeastOnce));
        Assert.That(Broker.Statistics.HeldBytes, Is.GreaterThan(1024 * 1024));
    }

    [Test]
    public async Task Over_the_budget_an_MQTT_5_large_publish_is_acknowledged_with_0x97_and_small_ones_still_pass()
    {
        await ExceedTheBudgetAsync();
        var subscriber = await ConnectedClientAsync("s");
        await subscriber.SubscribeAsync("t");
        var publisher = NewClient(MqttProtocolVersion.V500);
        await publisher.ConnectOkAsync("p");

        Assert.That(await publisher.PublishAsync("t", new string('y', 2048), MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.QuotaExceeded));
        Assert.That(await publisher.PublishAsync("t", "small", MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.Success));
        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("small"));
        Assert.That(Broker.Statistics.PublishesRefusedMemory, Is.EqualTo(1));
    }

    [Test]
    public async Task Over_the_budget_an_MQTT_3_1_1_large_publish_closes_the_connection()
    {
        await ExceedTheBudgetAsync();
        var publisher = await ConnectedClientAsync("p");
        await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.AtLeastOnce, PacketId = 1, Payload = new byte[2048] });
        Assert.That(await publisher.WaitForCloseAsync(), Is.Empty);
        Assert.That(Broker.Statistics.PublishesRefusedMemory, Is.EqualTo(1));
    }

    [Test]
    public async Task Under_the_budget_large_publishes_pass()
    {
        var publisher = NewClient(MqttProtocolVersion.V500);
        await publisher.ConnectOkAsync("p");
        Assert.That(await publisher.PublishAsync("t", new string('y', 2048), MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.NoMatchingSubscribers));
    }

    [Test]
    public async Task Over_the_budget_QoS_0_messages_are_not_queued_behind_others_and_are_counted()
    {
        var slow = await ConnectedClientAsync("slow");
        await slow.SubscribeAsync("t");
        await ExceedTheBudgetAsync();
        await Broker.PublishAsync(Message("t", "first"));
        await Broker.PublishAsync(Message("t", "second"));
        Assert.That((await slow.ReceivePublishAsync()).Text(), Is.EqualTo("first"));
        Assert.That(Broker.Statistics.MessagesDroppedMemory, Is.LessThanOrEqualTo(1));
    }

    [Test]
    public async Task Memory_held_for_a_session_is_given_back_when_it_ends()
    {
        await ExceedTheBudgetAsync();
        var clean = NewClient();
        await clean.ConnectOkAsync("offline", cleanSession: true); // ends the persistent session and its queue
        await WaitUntilAsync(() => Broker.Statistics.HeldBytes == 0, "the queued bytes are released");
    }

    [Test]
    public async Task A_packet_that_does_not_complete_within_the_partial_packet_timeout_closes_the_connection()
    {
        var client = await ConnectedClientAsync("slowloris"); // keep-alive 0: only the partial-packet timeout applies
        await client.SendRawAsync(0x30, 0xE8, 0x07, 0x00, 0x01, (byte)'t', 1, 2, 3); // PUBLISH announcing 1000 bytes, 6 sent
        await WaitUntilAsync(() => Broker.Statistics.HeldBytes > 0, "the partial packet is counted");
        Assert.That(await client.WaitForCloseAsync(TimeSpan.FromSeconds(3)), Is.Empty);
        Assert.That(Broker.Statistics.PartialPacketTimeouts, Is.EqualTo(1));
        await WaitUntilAsync(() => Broker.Statistics.HeldBytes == 0, "its bytes are released");
    }

    [Test]
    public async Task A_slow_but_steady_packet_completes_and_the_connection_stays()
    {
        var client = await ConnectedClientAsync("steady");
        await client.SendRawAsync(0x30, 0x08, 0x00, 0x01, (byte)'t');
        await Task.Delay(300);
        await client.SendRawAsync(1, 2, 3, 4, 5); // the PUBLISH completes within the timeout
        await Task.Delay(700);
        await client.SendAsync(PingReqPacket.Instance);
        Assert.That(await client.ReceiveAsync(), Is.InstanceOf<PingRespPacket>());
    }
}

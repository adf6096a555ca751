using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

internal sealed class SessionTests : BrokerScenario
{
    [Test]
    public async Task Persistent_session_keeps_subscriptions_and_queues_qos1_while_offline_MQTT_3_1_2_4()
    {
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await subscriber.DisconnectAsync();

        await Broker.PublishAsync(Message("t", "while-away-1", MqttQualityOfService.AtLeastOnce));
        await Broker.PublishAsync(Message("t", "qos0-not-kept", MqttQualityOfService.AtMostOnce));
        await Broker.PublishAsync(Message("t", "while-away-2", MqttQualityOfService.ExactlyOnce));

        var back = NewClient();
        var connAck = await back.ConnectOkAsync("p", cleanSession: false);
        Assert.That(connAck.SessionPresent, Is.True);
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("while-away-1"));
        var second = await back.ReceivePublishAsync();
        Assert.That(second.Text(), Is.EqualTo("while-away-2"));
        Assert.That(second.Qos, Is.EqualTo(MqttQualityOfService.AtLeastOnce)); // downgraded to the subscription
        await back.AssertNothingReceivedAsync();

        await Broker.PublishAsync(Message("t", "live"));
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("live"));
    }

    [Test]
    public async Task Clean_session_discards_the_previous_session_MQTT_3_1_2_6()
    {
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await subscriber.DisconnectAsync();
        await Broker.PublishAsync(Message("t", "queued", MqttQualityOfService.AtLeastOnce));

        var clean = NewClient();
        Assert.That((await clean.ConnectOkAsync("p", cleanSession: true)).SessionPresent, Is.False);
        await Broker.PublishAsync(Message("t", "after"));
        await clean.AssertNothingReceivedAsync();
        Assert.That(Broker.Statistics.SubscriptionsCount, Is.Zero);
    }

    [Test]
    public async Task Clean_session_ends_with_the_connection_MQTT_3_1_2_6()
    {
        var client = await ConnectedClientAsync("c");
        await client.SubscribeAsync("t");
        Assert.That(Broker.Statistics.SessionsCount, Is.EqualTo(1));
        await client.DisconnectAsync();
        await WaitUntilAsync(() => Broker.Statistics.SessionsCount == 0, "the session is gone");
        Assert.That(Broker.Statistics.SubscriptionsCount, Is.Zero);
    }

    [Test]
    public async Task Offline_queue_is_bounded_and_drops_are_counted()
    {
        Restart(Options with { MaximumQueuedMessagesPerClient = 3 });
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await subscriber.DisconnectAsync();

        for (var i = 0; i < 5; i++)
            await Broker.PublishAsync(Message("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce));
        Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.EqualTo(2));

        var back = NewClient();
        await back.ConnectOkAsync("p", cleanSession: false);
        for (var i = 0; i < 3; i++)
            Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await back.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Offline_queue_is_bounded_in_bytes_too_and_drops_are_counted()
    {
        Restart(Options with { MaximumQueuedBytesPerClient = 64 * 1024 });
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await subscriber.DisconnectAsync();

        var payload = new string('x', 20_000);
        for (var i = 0; i < 10; i++)
            await Broker.PublishAsync(Message("t", payload, MqttQualityOfService.AtLeastOnce));
        Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.EqualTo(7), "three 20 kB messages fit in 64 KiB");

        var back = NewClient();
        await back.ConnectOkAsync("p", cleanSession: false);
        for (var i = 0; i < 3; i++)
            await back.ReceivePublishAsync();
        await back.AssertNothingReceivedAsync();

        // Delivered and acknowledged messages give their bytes back: the queue accepts as much again.
        await back.DisconnectAsync();
        for (var i = 0; i < 3; i++)
            await Broker.PublishAsync(Message("t", payload, MqttQualityOfService.AtLeastOnce));
        Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.EqualTo(7));
    }

    [TestCase(MqttProtocolVersion.V311)]
    [TestCase(MqttProtocolVersion.V500)]
    public async Task A_persistent_CONNECT_taking_over_a_clean_session_does_not_resume_it_MQTT_3_1_2_6_and_3_2_2_3(MqttProtocolVersion version)
    {
        var clean = NewClient(version);
        await clean.ConnectOkAsync("c", cleanSession: true);
        await clean.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);

        // The old connection is still open (its close not yet seen) when the new CONNECT arrives.
        var next = NewClient(version);
        var properties = version == MqttProtocolVersion.V500 ? new MqttProperties { SessionExpiryInterval = 60 } : null;
        var connAck = await next.ConnectOkAsync("c", cleanSession: false, properties: properties);
        Assert.That(connAck.SessionPresent, Is.False, "the clean session ended with its connection");
        await Broker.PublishAsync(Message("t", "for the old subscription"));
        await next.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Slow_online_subscriber_queue_is_bounded_and_drops_are_counted()
    {
        Restart(Options with { MaximumQueuedMessagesPerClient = 10, MaximumInflightPerClient = 1 });
        var subscriber = await ConnectedClientAsync("slow");
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", "blocker", MqttQualityOfService.AtLeastOnce));
        var blocker = await subscriber.ReceivePublishAsync(acknowledge: false); // window full from here on

        // The next QoS 1 message waits for the window; QoS 0 messages queue behind it to keep the order (MQTT-4.6.0).
        await Broker.PublishAsync(Message("t", "waiting", MqttQualityOfService.AtLeastOnce));
        for (var i = 0; i < 24; i++)
            await Broker.PublishAsync(Message("t", "x"));
        Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.EqualTo(15));

        await subscriber.SendAsync(new PubAckPacket { PacketId = blocker.PacketId });
        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("waiting"));
        for (var i = 0; i < 9; i++)
            Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("x"));
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Unacknowledged_qos1_is_resent_with_DUP_on_reconnect_MQTT_4_4_0_1_and_3_3_1_1()
    {
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", "unacked", MqttQualityOfService.AtLeastOnce));
        var first = await subscriber.ReceivePublishAsync(acknowledge: false);
        Assert.That(first.Dup, Is.False);
        await subscriber.AbortAsync();
        await subscriber.WaitForCloseAsync();

        var back = NewClient();
        await back.ConnectOkAsync("p", cleanSession: false);
        var again = await back.ReceivePublishAsync(acknowledge: false);
        Assert.Multiple(() =>
        {
            Assert.That(again.Dup, Is.True);
            Assert.That(again.PacketId, Is.EqualTo(first.PacketId));
            Assert.That(again.Text(), Is.EqualTo("unacked"));
        });
        await back.SendAsync(new PubAckPacket { PacketId = again.PacketId });
        await back.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Qos2_after_PUBREC_resends_PUBREL_not_PUBLISH_on_reconnect_MQTT_4_4_0_1()
    {
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.ExactlyOnce);
        await Broker.PublishAsync(Message("t", "two", MqttQualityOfService.ExactlyOnce));
        var publish = await subscriber.ReceivePublishAsync(acknowledge: false);
        await subscriber.SendAsync(new PubRecPacket { PacketId = publish.PacketId });
        await subscriber.ReceiveAsync<PubRelPacket>();
        await subscriber.AbortAsync();
        await subscriber.WaitForCloseAsync();

        var back = NewClient();
        await back.ConnectOkAsync("p", cleanSession: false);
        var rel = await back.ReceiveAsync<PubRelPacket>();
        Assert.That(rel.PacketId, Is.EqualTo(publish.PacketId));
        await back.SendAsync(new PubCompPacket { PacketId = rel.PacketId });
        await back.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Inbound_qos2_state_survives_reconnect_of_a_persistent_session_MQTT_4_3_3_2()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", MqttQualityOfService.ExactlyOnce);

        var publisher = await ConnectedClientAsync("pub", cleanSession: false);
        await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 9, Payload = "x"u8.ToArray() });
        await publisher.ReceiveAsync<PubRecPacket>();
        await publisher.AbortAsync();
        await publisher.WaitForCloseAsync();
        await subscriber.ReceivePublishAsync();

        var back = NewClient();
        await back.ConnectOkAsync("pub", cleanSession: false);
        await back.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 9, Dup = true, Payload = "x"u8.ToArray() });
        await back.ReceiveAsync<PubRecPacket>();
        await back.SendAsync(new PubRelPacket { PacketId = 9 });
        await back.ReceiveAsync<PubCompPacket>();
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Persistent_session_expires_after_the_configured_time()
    {
        Restart(Options with { PersistentSessionExpiry = TimeSpan.FromSeconds(1) });
        var client = await ConnectedClientAsync("p", cleanSession: false);
        await client.SubscribeAsync("t");
        await client.DisconnectAsync();
        Assert.That(Broker.Statistics.SessionsCount, Is.EqualTo(1));
        await WaitUntilAsync(() => Broker.Statistics.SessionsCount == 0, "the session expired");
        var back = NewClient();
        Assert.That((await back.ConnectOkAsync("p", cleanSession: false)).SessionPresent, Is.False);
    }

    [Test]
    public async Task Taken_over_persistent_session_continues_on_the_new_connection_MQTT_3_1_4_2()
    {
        var first = await ConnectedClientAsync("p", cleanSession: false);
        await first.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        var second = NewClient();
        Assert.That((await second.ConnectOkAsync("p", cleanSession: false)).SessionPresent, Is.True);
        await first.WaitForCloseAsync();
        await Broker.PublishAsync(Message("t", "to-second", MqttQualityOfService.AtLeastOnce));
        Assert.That((await second.ReceivePublishAsync()).Text(), Is.EqualTo("to-second"));
    }
}

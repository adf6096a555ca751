using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

internal sealed class PublishSubscribeTests : BrokerScenario
{
    private const MqttQualityOfService Qos0 = MqttQualityOfService.AtMostOnce;
    private const MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;
    private const MqttQualityOfService Qos2 = MqttQualityOfService.ExactlyOnce;

    [Test]
    public async Task Qos0_publish_is_delivered_to_a_subscriber()
    {
        var subscriber = await ConnectedClientAsync("sub");
        var subAck = await subscriber.SubscribeAsync("sensors/temp");
        Assert.That(subAck.ReasonCodes, Is.EqualTo(new[] { MqttReasonCode.Success }));

        var publisher = await ConnectedClientAsync("pub");
        await publisher.PublishAsync("sensors/temp", "21.5");

        var publish = await subscriber.ReceivePublishAsync();
        Assert.Multiple(() =>
        {
            Assert.That(publish.Topic, Is.EqualTo("sensors/temp"));
            Assert.That(publish.Text(), Is.EqualTo("21.5"));
            Assert.That(publish.Qos, Is.EqualTo(Qos0));
            Assert.That(publish.Dup, Is.False);
        });
    }

    [Test]
    public async Task Qos1_publish_is_acknowledged_with_PUBACK_of_the_same_packet_id_MQTT_4_3_2_2()
    {
        var publisher = await ConnectedClientAsync("pub");
        await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = Qos1, PacketId = 77, Payload = "x"u8.ToArray() });
        var ack = await publisher.ReceiveAsync<PubAckPacket>();
        Assert.That(ack.PacketId, Is.EqualTo(77));
    }

    [Test]
    public async Task Qos2_publish_completes_PUBREC_PUBREL_PUBCOMP_and_is_delivered_once_MQTT_4_3_3_2()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos2);
        var publisher = await ConnectedClientAsync("pub");
        await publisher.PublishAsync("t", "exactly", Qos2);

        var publish = await subscriber.ReceivePublishAsync();
        Assert.That(publish.Qos, Is.EqualTo(Qos2));
        Assert.That(publish.PacketId, Is.Not.Zero);
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Qos2_publish_resent_before_PUBREL_is_acknowledged_but_not_delivered_twice_MQTT_4_3_3_2()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos2);
        var publisher = await ConnectedClientAsync("pub");

        var first = new PublishPacket { Topic = "t", Qos = Qos2, PacketId = 5, Payload = "once"u8.ToArray() };
        await publisher.SendAsync(first);
        Assert.That((await publisher.ReceiveAsync<PubRecPacket>()).PacketId, Is.EqualTo(5));
        await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = Qos2, PacketId = 5, Dup = true, Payload = "once"u8.ToArray() });
        Assert.That((await publisher.ReceiveAsync<PubRecPacket>()).PacketId, Is.EqualTo(5));
        await publisher.SendAsync(new PubRelPacket { PacketId = 5 });
        Assert.That((await publisher.ReceiveAsync<PubCompPacket>()).PacketId, Is.EqualTo(5));

        await subscriber.ReceivePublishAsync();
        await subscriber.AssertNothingReceivedAsync();

        // After PUBREL the id is free again: a new PUBLISH with it is a new message (MQTT-4.3.3-2).
        await publisher.PublishAsync("t", "again", Qos2);
        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("again"));
    }

    [Test]
    public async Task Outbound_qos1_message_waits_for_PUBACK_and_uses_a_nonzero_packet_id_MQTT_2_3_1_1()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos1);
        await Broker.PublishAsync(Message("t", "m", Qos1));
        var publish = await subscriber.ReceivePublishAsync(acknowledge: false);
        Assert.That(publish.PacketId, Is.Not.Zero);
        Assert.That(Broker.Statistics.MessagesSent, Is.EqualTo(1));
        await subscriber.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
    }

    [Test]
    public async Task Outbound_qos2_flow_gets_PUBREL_after_PUBREC_MQTT_4_3_3_1()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos2);
        await Broker.PublishAsync(Message("t", "m", Qos2));
        var publish = await subscriber.ReceivePublishAsync(acknowledge: false);
        await subscriber.SendAsync(new PubRecPacket { PacketId = publish.PacketId });
        var rel = await subscriber.ReceiveAsync<PubRelPacket>();
        Assert.That(rel.PacketId, Is.EqualTo(publish.PacketId));
        await subscriber.SendAsync(new PubCompPacket { PacketId = publish.PacketId });
        await subscriber.AssertNothingReceivedAsync();
    }

    [TestCase(Qos2, Qos1, Qos1)]
    [TestCase(Qos2, Qos0, Qos0)]
    [TestCase(Qos1, Qos2, Qos1)]
    [TestCase(Qos0, Qos2, Qos0)]
    public async Task Delivered_qos_is_the_minimum_of_publish_and_subscription_MQTT_3_8_4_6(
        MqttQualityOfService published, MqttQualityOfService subscribed, MqttQualityOfService expected)
    {
        var subscriber = await ConnectedClientAsync("sub");
        var subAck = await subscriber.SubscribeAsync("t", subscribed);
        Assert.That(subAck.ReasonCodes[0], Is.EqualTo((MqttReasonCode)(byte)subscribed));
        var publisher = await ConnectedClientAsync("pub");
        await publisher.PublishAsync("t", "q", published);
        Assert.That((await subscriber.ReceivePublishAsync()).Qos, Is.EqualTo(expected));
    }

    [Test]
    public async Task Overlapping_subscriptions_deliver_once_at_the_highest_qos_MQTT_3_3_5_1()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync(new MqttTopicSubscription("home/#", Qos0), new MqttTopicSubscription("home/+/temp", Qos2),
            new MqttTopicSubscription("home/kitchen/temp", Qos1));
        var publisher = await ConnectedClientAsync("pub");
        await publisher.PublishAsync("home/kitchen/temp", "20", Qos2);

        var publish = await subscriber.ReceivePublishAsync();
        Assert.That(publish.Qos, Is.EqualTo(Qos2));
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Messages_from_one_publisher_arrive_in_order_MQTT_4_6_0_2()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("seq", Qos1);
        var publisher = await ConnectedClientAsync("pub");
        for (var i = 0; i < 200; i++)
            await publisher.SendAsync(new PublishPacket { Topic = "seq", Qos = Qos1, PacketId = (ushort)(i + 1), Payload = BitConverter.GetBytes(i) });

        for (var i = 0; i < 200; i++)
        {
            var publish = await subscriber.ReceivePublishAsync();
            Assert.That(BitConverter.ToInt32(publish.Payload.Span), Is.EqualTo(i));
        }
    }

    [Test]
    public async Task Mixed_qos_messages_keep_their_order_MQTT_4_6_0()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("seq", Qos2);
        var publisher = await ConnectedClientAsync("pub");
        var qosCycle = new[] { Qos0, Qos1, Qos2 };
        for (var i = 0; i < 30; i++)
            await publisher.PublishAsync("seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture), qosCycle[i % 3]);
        for (var i = 0; i < 30; i++)
            Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Unacknowledged_messages_are_limited_by_the_inflight_window()
    {
        Restart(Options with { MaximumInflightPerClient = 2 });
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos1);
        for (var i = 0; i < 5; i++)
            await Broker.PublishAsync(Message("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Qos1));

        var first = await subscriber.ReceivePublishAsync(acknowledge: false);
        var second = await subscriber.ReceivePublishAsync(acknowledge: false);
        await subscriber.AssertNothingReceivedAsync();

        await subscriber.SendAsync(new PubAckPacket { PacketId = first.PacketId });
        Assert.That((await subscriber.ReceivePublishAsync(acknowledge: false)).Text(), Is.EqualTo("2"));
        await subscriber.AssertNothingReceivedAsync();
        Assert.That(second.Text(), Is.EqualTo("1"));
    }

    [TestCase("a/#/b")]
    [TestCase("bad+")]
    [TestCase("")]
    public async Task A_malformed_topic_filter_makes_SUBSCRIBE_a_malformed_packet_and_closes_that_connection_only_MQTT_4_7_1_2_and_4_8_0_1(string filter)
    {
        var bystander = await ConnectedClientAsync("bystander");
        await bystander.SubscribeAsync("ok/+", Qos1);
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SendAsync(new SubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new MqttTopicSubscription("ok/+", Qos1), new MqttTopicSubscription(filter, Qos0)],
        });
        Assert.That(await subscriber.WaitForCloseAsync(), Is.Empty, "no SUBACK: the packet is malformed");
        Assert.That(Broker.Statistics.SubscriptionsCount, Is.EqualTo(1), "none of its filters was subscribed");

        await Broker.PublishAsync(Message("ok/1", "fine"));
        Assert.That((await bystander.ReceivePublishAsync()).Topic, Is.EqualTo("ok/1"));
    }

    [Test]
    public async Task A_malformed_topic_filter_makes_UNSUBSCRIBE_a_malformed_packet_MQTT_4_7_3_1()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SendAsync(new UnsubscribePacket { PacketId = 1, TopicFilters = ["ok", ""] });
        Assert.That(await subscriber.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Wildcards_match_single_and_multiple_levels_MQTT_4_7_1()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync(new MqttTopicSubscription("sport/+/score", Qos0), new MqttTopicSubscription("news/#", Qos0));
        foreach (var topic in new[] { "sport/tennis/score", "sport/score", "news", "news/a/b", "sport/tennis/score/x" })
            await Broker.PublishAsync(Message(topic, topic));

        var received = new List<string>();
        for (var i = 0; i < 3; i++)
            received.Add((await subscriber.ReceivePublishAsync()).Topic);
        Assert.That(received, Is.EqualTo(new[] { "sport/tennis/score", "news", "news/a/b" }));
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Unsubscribe_stops_delivery_and_is_acknowledged_MQTT_3_10_4_1_and_3_10_4_4()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos1);
        await subscriber.UnsubscribeAsync("t");
        await Broker.PublishAsync(Message("t", "gone"));
        await subscriber.AssertNothingReceivedAsync();
        Assert.That(Broker.Statistics.SubscriptionsCount, Is.Zero);
    }

    [Test]
    public async Task Unsubscribe_of_an_unknown_filter_still_gets_UNSUBACK_MQTT_3_10_4_5()
    {
        var subscriber = await ConnectedClientAsync("sub");
        var unsubAck = await subscriber.UnsubscribeAsync("never/subscribed");
        Assert.That(unsubAck.ReasonCodes, Is.Empty);
    }

    [Test]
    public async Task Repeated_subscription_replaces_the_first_and_delivers_once_MQTT_3_8_4_3()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t", Qos0);
        await subscriber.SubscribeAsync("t", Qos1);
        Assert.That(Broker.GetConnectedClients()[0].Subscriptions, Has.Count.EqualTo(1));
        await Broker.PublishAsync(Message("t", "m", Qos1));
        Assert.That((await subscriber.ReceivePublishAsync()).Qos, Is.EqualTo(Qos1)); // the new maximum QoS applies
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Topics_starting_with_dollar_are_not_matched_by_root_wildcards_MQTT_4_7_2_1()
    {
        var wildcard = await ConnectedClientAsync("all");
        await wildcard.SubscribeAsync(new MqttTopicSubscription("#", Qos0), new MqttTopicSubscription("+/broker/version", Qos0));
        var sys = await ConnectedClientAsync("sys");
        await sys.SubscribeAsync("$SYS/#");

        await Broker.PublishAsync(new MqttApplicationMessage { Topic = "$SYS/broker/test", Payload = "1"u8.ToArray(), Source = MessageSource.System });
        await Broker.PublishAsync(Message("normal", "2"));

        Assert.That((await sys.ReceivePublishAsync()).Topic, Is.EqualTo("$SYS/broker/test"));
        Assert.That((await wildcard.ReceivePublishAsync()).Topic, Is.EqualTo("normal"));
        await wildcard.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Client_publish_to_a_dollar_topic_is_acknowledged_dropped_and_counted()
    {
        var sys = await ConnectedClientAsync("sys");
        await sys.SubscribeAsync("$SYS/#");
        var publisher = await ConnectedClientAsync("pub");
        Assert.That(await publisher.PublishAsync("$SYS/fake", "x", Qos1), Is.EqualTo(MqttReasonCode.Success));
        await sys.AssertNothingReceivedAsync();
        Assert.That(Broker.Statistics.PublishesToDollarTopicsDropped, Is.EqualTo(1));
    }

    [Test]
    public async Task Publish_with_a_wildcard_in_the_topic_closes_the_connection_MQTT_3_3_2_2()
    {
        var publisher = await ConnectedClientAsync("pub");
        await publisher.SendAsync(new PublishPacket { Topic = "a/+", Payload = "x"u8.ToArray() });
        Assert.That(await publisher.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Forwarded_message_has_retain_0_even_if_published_retained_MQTT_3_3_1_9()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t");
        var publisher = await ConnectedClientAsync("pub");
        await publisher.PublishAsync("t", "r", retain: true);
        Assert.That((await subscriber.ReceivePublishAsync()).Retain, Is.False);
    }

    [Test]
    public async Task PINGREQ_is_answered_with_PINGRESP_MQTT_3_12_4_1()
    {
        var client = await ConnectedClientAsync("pinger");
        await client.SendAsync(PingReqPacket.Instance);
        await client.ReceiveAsync<PingRespPacket>();
    }

    [Test]
    public async Task Publisher_subscribed_to_its_own_topic_receives_its_message_in_3_1_1()
    {
        var client = await ConnectedClientAsync("echo");
        await client.SubscribeAsync("echo");
        await client.PublishAsync("echo", "hello");
        Assert.That((await client.ReceivePublishAsync()).Text(), Is.EqualTo("hello"));
    }

    [Test]
    public async Task Packets_pipelined_with_CONNECT_are_all_processed()
    {
        var client = NewClient();
        // CONNECT, SUBSCRIBE and PINGREQ in one write, as fast clients do.
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(new ConnectPacket { ClientId = "fast" }, MqttProtocolVersion.V311, writer);
        MqttPacketEncoder.Encode(new SubscribePacket { PacketId = 1, Subscriptions = [new MqttTopicSubscription("x", Qos0)] }, MqttProtocolVersion.V311, writer);
        MqttPacketEncoder.Encode(PingReqPacket.Instance, MqttProtocolVersion.V311, writer);
        await client.SendRawAsync(writer.WrittenSpan.ToArray());
        await client.ReceiveAsync<ConnAckPacket>();
        await client.ReceiveAsync<SubAckPacket>();
        await client.ReceiveAsync<PingRespPacket>();
    }

    [Test]
    public async Task Statistics_count_messages_and_bytes()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t");
        var publisher = await ConnectedClientAsync("pub");
        await publisher.PublishAsync("t", "12345");
        await subscriber.ReceivePublishAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Broker.Statistics.MessagesReceived, Is.EqualTo(1));
            Assert.That(Broker.Statistics.MessagesSent, Is.EqualTo(1));
            Assert.That(Broker.Statistics.BytesReceived, Is.GreaterThan(20));
            Assert.That(Broker.Statistics.BytesSent, Is.GreaterThan(10));
            Assert.That(Broker.Statistics.ConnectionsTotal, Is.EqualTo(2));
        });
    }
}

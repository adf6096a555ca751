using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>MQTT 5 topic aliases both ways (3.3.2.3.4) and the broker's Receive Maximum (3.3.4, 4.9).</summary>
internal sealed class FlowControlAndAliasTests : BrokerScenario
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    protected override MqttBrokerOptions Options => base.Options with { Capabilities = new MqttCapabilities { TopicAliasMaximum = 3, ReceiveMaximum = 2 } };

    private async Task<TestClient> ConnectedAsync(string clientId, MqttProperties? properties = null)
    {
        var client = NewClient(V5);
        await client.ConnectOkAsync(clientId, properties: properties);
        return client;
    }

    private static DisconnectPacket Disconnect(List<MqttPacket> closing) => closing.OfType<DisconnectPacket>().Single();

    [Test]
    public async Task A_client_defines_an_alias_with_a_topic_and_then_publishes_with_the_alias_alone_MQTT_3_3_2_12()
    {
        var subscriber = await ConnectedAsync("s");
        await subscriber.SubscribeAsync("sensors/+");
        var publisher = await ConnectedAsync("p");
        await publisher.SendAsync(new PublishPacket { Topic = "sensors/t", Payload = "1"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 2 } });
        await publisher.SendAsync(new PublishPacket { Topic = "", Payload = "2"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 2 } });

        var first = await subscriber.ReceivePublishAsync();
        var second = await subscriber.ReceivePublishAsync();
        Assert.That((first.Topic, second.Topic), Is.EqualTo(("sensors/t", "sensors/t")), "the alias is resolved; the subscriber gets the topic");
        Assert.That(second.Properties.TopicAlias, Is.Null, "an alias belongs to one hop and is not forwarded (MQTT-3.3.2-7)");
    }

    [Test]
    public async Task Using_an_alias_never_defined_is_a_protocol_error_0x82()
    {
        var publisher = await ConnectedAsync("p");
        await publisher.SendAsync(new PublishPacket { Topic = "", Payload = "x"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 1 } });
        Assert.That(Disconnect(await publisher.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }

    [TestCase((ushort)0, TestName = "Topic alias 0 gets DISCONNECT 0x94 MQTT_3_3_2_8")]
    [TestCase((ushort)4, TestName = "A topic alias above the announced maximum gets DISCONNECT 0x94 MQTT_3_3_2_9")]
    public async Task An_alias_outside_1_to_the_maximum_is_refused_with_0x94(ushort alias)
    {
        var publisher = await ConnectedAsync("p");
        await publisher.SendAsync(new PublishPacket { Topic = "t", Payload = "x"u8.ToArray(), Properties = new MqttProperties { TopicAlias = alias } });
        Assert.That(Disconnect(await publisher.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.TopicAliasInvalid));
    }

    [Test]
    public async Task The_broker_sends_aliases_up_to_the_clients_Topic_Alias_Maximum_and_the_topic_only_once_per_alias_MQTT_3_1_2_26()
    {
        var subscriber = await ConnectedAsync("s", new MqttProperties { TopicAliasMaximum = 2 });
        await subscriber.SubscribeAsync("t/#");
        foreach (var topic in new[] { "t/a", "t/a", "t/b", "t/c", "t/b" })
            await Broker.PublishAsync(Message(topic, "x"));

        var received = new List<(string Topic, ushort? Alias)>();
        for (var i = 0; i < 5; i++)
        {
            var publish = await subscriber.ReceivePublishAsync();
            received.Add((publish.Topic, publish.Properties.TopicAlias));
        }

        Assert.That(received, Is.EqualTo(new (string, ushort?)[] { ("t/a", 1), ("", 1), ("t/b", 2), ("t/c", null), ("", 2) }));
    }

    [Test]
    public async Task A_client_that_accepts_no_aliases_gets_none()
    {
        var subscriber = await ConnectedAsync("s");
        await subscriber.SubscribeAsync("t");
        await Broker.PublishAsync(Message("t", "x"));
        await Broker.PublishAsync(Message("t", "x"));
        Assert.That((await subscriber.ReceivePublishAsync()).Properties.TopicAlias, Is.Null);
        Assert.That((await subscriber.ReceivePublishAsync()).Topic, Is.EqualTo("t"));
    }

    [Test]
    public async Task Exceeding_the_brokers_Receive_Maximum_gets_DISCONNECT_0x93_MQTT_3_3_4_7()
    {
        var publisher = await ConnectedAsync("p");
        for (ushort id = 1; id <= 2; id++)
        {
            await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = id, Payload = "x"u8.ToArray() });
            await publisher.ExpectAsync<PubRecPacket>(); // no PUBREL: the flow stays open and holds its slot
        }

        await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 3, Payload = "x"u8.ToArray() });
        Assert.That(Disconnect(await publisher.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.ReceiveMaximumExceeded));
    }

    [Test]
    public async Task Answered_publications_give_their_slot_back_4_9()
    {
        var publisher = await ConnectedAsync("p");
        for (var i = 0; i < 10; i++)
        {
            Assert.That(await publisher.PublishAsync("t", "x", MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.NoMatchingSubscribers));
            Assert.That(await publisher.PublishAsync("t", "y", MqttQualityOfService.ExactlyOnce), Is.EqualTo(MqttReasonCode.NoMatchingSubscribers));
        }

        await publisher.SendAsync(PingReqPacket.Instance);
        Assert.That(await publisher.ReceiveAsync(), Is.InstanceOf<PingRespPacket>(), "still connected after 20 publications two at a time");
    }
}

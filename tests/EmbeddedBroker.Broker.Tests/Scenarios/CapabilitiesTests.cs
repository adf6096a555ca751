using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// One <see cref="MqttCapabilities"/> record: what CONNACK announces to MQTT 5 clients is what the handlers enforce,
/// for MQTT 5 and 3.1.1 alike.
/// </summary>
internal sealed class CapabilitiesTests : BrokerScenario
{
    private static readonly MqttCapabilities Limited = new()
    {
        MaximumQos = MqttQualityOfService.AtLeastOnce,
        RetainAvailable = false,
        WildcardSubscriptionAvailable = false,
    };

    protected override MqttBrokerOptions Options => base.Options with { Capabilities = Limited };

    private async Task<TestClient> ConnectedAsync(string clientId, MqttProtocolVersion version)
    {
        var client = NewClient(version);
        await client.ConnectOkAsync(clientId);
        return client;
    }

    [Test]
    public async Task CONNACK_announces_Maximum_QoS_Retain_Available_and_Wildcard_Subscription_Available_MQTT_3_2_2_9_and_3_2_2_13()
    {
        var connAck = await NewClient(MqttProtocolVersion.V500).ConnectOkAsync("c");
        Assert.Multiple(() =>
        {
            Assert.That(connAck.Properties.MaximumQos, Is.EqualTo(1));
            Assert.That(connAck.Properties.RetainAvailable, Is.EqualTo(0));
            Assert.That(connAck.Properties.WildcardSubscriptionAvailable, Is.EqualTo(0));
        });
    }

    [Test]
    public void Default_capabilities_are_not_announced_because_absent_means_available()
    {
        var properties = new MqttCapabilities().ToConnAckProperties(assignedClientIdentifier: null, sessionExpiryInterval: null);
        Assert.Multiple(() =>
        {
            Assert.That(properties.MaximumQos, Is.Null, "absent Maximum QoS means 2 (3.2.2.3.4)");
            Assert.That(properties.RetainAvailable, Is.Null, "absent Retain Available means 1 (3.2.2.3.5)");
            Assert.That(properties.WildcardSubscriptionAvailable, Is.Null, "absent means 1 (3.2.2.3.11)");
            Assert.That(properties.TopicAliasMaximum, Is.EqualTo(10), "absent would mean 0 (3.2.2.3.8): 10 aliases are offered");
            Assert.That(properties.ReceiveMaximum, Is.EqualTo(1024), "absent would mean 65,535 (3.2.2.3.3)");
            Assert.That(properties.MaximumPacketSize, Is.EqualTo(1_048_576));
        });
    }

    [TestCase(MqttProtocolVersion.V311)]
    [TestCase(MqttProtocolVersion.V500)]
    public async Task A_subscription_asking_for_more_than_Maximum_QoS_is_granted_the_maximum_MQTT_3_8_4_6(MqttProtocolVersion version)
    {
        var client = await ConnectedAsync("c", version);
        var subAck = await client.SubscribeAsync("t", MqttQualityOfService.ExactlyOnce);
        Assert.That(subAck.ReasonCodes, Is.EqualTo(new[] { MqttReasonCode.GrantedQos1 }));
    }

    [Test]
    public async Task MQTT_5_PUBLISH_above_Maximum_QoS_gets_DISCONNECT_0x9B_MQTT_3_2_2_11()
    {
        var client = await ConnectedAsync("c", MqttProtocolVersion.V500);
        await client.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 1, Payload = "x"u8.ToArray() });
        var closing = await client.WaitForCloseAsync();
        Assert.That(closing.OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(MqttReasonCode.QosNotSupported));
    }

    [Test]
    public async Task MQTT_3_1_1_PUBLISH_above_Maximum_QoS_closes_the_connection_without_delivery()
    {
        var subscriber = await ConnectedAsync("s", MqttProtocolVersion.V311);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        var client = await ConnectedAsync("c", MqttProtocolVersion.V311);
        await client.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 1, Payload = "x"u8.ToArray() });
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task MQTT_5_retained_PUBLISH_when_retain_is_not_available_gets_DISCONNECT_0x9A_MQTT_3_2_2_14()
    {
        var client = await ConnectedAsync("c", MqttProtocolVersion.V500);
        await client.SendAsync(new PublishPacket { Topic = "t", Retain = true, Payload = "x"u8.ToArray() });
        var closing = await client.WaitForCloseAsync();
        Assert.That(closing.OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(MqttReasonCode.RetainNotSupported));
        Assert.That(Broker.GetRetainedMessages(), Is.Empty);
    }

    [Test]
    public async Task Messages_the_broker_publishes_with_retain_are_not_kept_when_retain_is_not_available()
    {
        await Broker.PublishAsync(Message("status", "on", retain: true));
        Assert.That(Broker.GetRetainedMessages(), Is.Empty);
    }

    [Test]
    public async Task Wildcard_filter_when_wildcards_are_not_available_gets_0xA2_in_MQTT_5_and_0x80_in_3_1_1_while_other_filters_are_granted()
    {
        var v5 = await ConnectedAsync("c5", MqttProtocolVersion.V500);
        var subAck5 = await v5.SubscribeAsync(new MqttTopicSubscription("a/+", MqttQualityOfService.AtMostOnce), new MqttTopicSubscription("a/b", MqttQualityOfService.AtMostOnce));
        Assert.That(subAck5.ReasonCodes, Is.EqualTo(new[] { MqttReasonCode.WildcardSubscriptionsNotSupported, MqttReasonCode.Success }));

        var v3 = await ConnectedAsync("c3", MqttProtocolVersion.V311);
        var subAck3 = await v3.SubscribeAsync(new MqttTopicSubscription("#", MqttQualityOfService.AtMostOnce), new MqttTopicSubscription("a/b", MqttQualityOfService.AtMostOnce));
        Assert.That(subAck3.ReasonCodes, Is.EqualTo(new[] { MqttReasonCode.UnspecifiedError, MqttReasonCode.Success }));
    }
}

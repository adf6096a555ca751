using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>MQTT 5 Subscription Identifiers (3.8.2.1.2): kept with each subscription and sent with every matching PUBLISH.</summary>
internal sealed class SubscriptionIdentifierTests : BrokerScenario
{
    private async Task<TestClient> SubscribedAsync(params (string Filter, uint? Identifier)[] subscriptions)
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await client.ConnectOkAsync("c");
        foreach (var (filter, identifier) in subscriptions)
        {
            await client.SendAsync(new SubscribePacket
            {
                PacketId = client.NextPacketId(),
                Subscriptions = [new MqttTopicSubscription(filter, MqttQualityOfService.AtLeastOnce)],
                Properties = identifier is { } id ? new MqttProperties { SubscriptionIdentifiers = [id] } : MqttProperties.Empty,
            });
            await client.ExpectAsync<SubAckPacket>();
        }

        return client;
    }

    [Test]
    public async Task A_PUBLISH_carries_the_identifier_of_the_subscription_it_matched_MQTT_3_3_4_3()
    {
        var client = await SubscribedAsync(("sensors/+", 7));
        await Broker.PublishAsync(Message("sensors/t", "x"));
        Assert.That((await client.ReceivePublishAsync()).Properties.SubscriptionIdentifiers, Is.EqualTo(new uint[] { 7 }));
    }

    [Test]
    public async Task Overlapping_subscriptions_give_one_copy_with_every_matching_identifier_MQTT_3_3_4_4_and_3_3_4_5()
    {
        var client = await SubscribedAsync(("sensors/#", 1), ("sensors/t", 2), ("other/#", 3));
        await Broker.PublishAsync(Message("sensors/t", "x"));
        var publish = await client.ReceivePublishAsync();
        Assert.That(publish.Properties.SubscriptionIdentifiers, Is.EquivalentTo(new uint[] { 1, 2 }));
        await client.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task A_subscription_without_identifier_adds_none_and_replacing_a_subscription_replaces_its_identifier_MQTT_3_8_4_3()
    {
        var client = await SubscribedAsync(("a", 5), ("a", null), ("b", null));
        await Broker.PublishAsync(Message("a", "x"));
        Assert.That((await client.ReceivePublishAsync()).Properties.SubscriptionIdentifiers, Is.Null);
        await Broker.PublishAsync(Message("b", "y"));
        Assert.That((await client.ReceivePublishAsync()).Properties.SubscriptionIdentifiers, Is.Null);
    }

    [Test]
    public async Task A_retained_message_sent_on_subscribe_carries_the_new_subscriptions_identifier()
    {
        await Broker.PublishAsync(Message("state", "on", retain: true));
        var client = await SubscribedAsync(("state", 42));
        var publish = await client.ReceivePublishAsync();
        Assert.That((publish.Retain, publish.Properties.SubscriptionIdentifiers), Is.EqualTo((true, (IReadOnlyList<uint>)new uint[] { 42 })));
    }

    [Test]
    public async Task Subscription_identifier_0_is_a_protocol_error_DISCONNECT_0x82_MQTT_3_8_2_1_2()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await client.ConnectOkAsync("c");
        await client.SendRawAsync(0x82, 0x09, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, (byte)'a', 0x00); // SUBSCRIBE, Subscription Identifier 0
        var closing = await client.WaitForCloseAsync();
        Assert.That(closing.OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }
}

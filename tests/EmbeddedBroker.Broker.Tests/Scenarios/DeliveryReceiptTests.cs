using System.Collections.Concurrent;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>Delivery receipts: the delivery observer hears of each QoS 1/2 delivery the subscriber acknowledged.</summary>
internal sealed class DeliveryReceiptTests : BrokerScenario
{
    private Receipts _receipts = new();

    protected override MqttBrokerHooks Hooks
    {
        get
        {
            _receipts = new Receipts();
            return new MqttBrokerHooks { DeliveryObservers = [_receipts] };
        }
    }

    [Test]
    public async Task A_QoS_1_delivery_is_reported_once_PUBACK_arrives_MQTT_4_3_2()
    {
        var subscriber = await ConnectedClientAsync("consumer");
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", "x", MqttQualityOfService.AtLeastOnce));
        var publish = await subscriber.ReceivePublishAsync(acknowledge: false);
        await subscriber.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(100));
        Assert.That(_receipts.Seen, Is.Empty, "not before the acknowledgement");

        await subscriber.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
        await WaitUntilAsync(() => _receipts.Seen.Count == 1, "the receipt is reported");
        Assert.That(_receipts.Seen.Single(), Is.EqualTo(("consumer", "t", MqttQualityOfService.AtLeastOnce)));
    }

    [Test]
    public async Task A_QoS_2_delivery_is_reported_at_PUBCOMP_and_QoS_0_never_MQTT_4_3_3()
    {
        var subscriber = await ConnectedClientAsync("consumer");
        await subscriber.SubscribeAsync("t", MqttQualityOfService.ExactlyOnce);
        await Broker.PublishAsync(Message("t", "zero"));
        await Broker.PublishAsync(Message("t", "two", MqttQualityOfService.ExactlyOnce));
        await subscriber.ReceivePublishAsync();
        await subscriber.ReceivePublishAsync(); // the harness answers PUBREC and PUBREL -> PUBCOMP
        await WaitUntilAsync(() => _receipts.Seen.Count == 1, "the QoS 2 receipt is reported");
        Assert.That(_receipts.Seen.Single().Qos, Is.EqualTo(MqttQualityOfService.ExactlyOnce));
    }

    private sealed class Receipts : IDeliveryObserver
    {
        public ConcurrentQueue<(string ClientId, string Topic, MqttQualityOfService Qos)> Seen { get; } = new();

        public void OnDeliveryAcknowledged(MqttClientIdentity subscriber, MqttApplicationMessage message, MqttQualityOfService qos) =>
            Seen.Enqueue((subscriber.ClientId, message.Topic, qos));
    }
}

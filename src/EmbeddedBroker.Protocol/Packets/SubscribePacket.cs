namespace EmbeddedBroker.Protocol.Packets;

/// <summary>MQTT 5 Retain Handling subscription option (3.8.3.1).</summary>
public enum MqttRetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNew = 1,
    DoNotSend = 2,
}

/// <summary>
/// One topic filter of a SUBSCRIBE with its options (3.8.3.1). For 3.1/3.1.1 only the QoS is on the wire.
/// <paramref name="SubscriptionIdentifier"/> is the packet's MQTT 5 Subscription Identifier (3.8.2.1.2), kept with each
/// of its subscriptions by the broker; the codec carries it in the packet's properties, not here.
/// </summary>
public sealed record MqttTopicSubscription(
    string TopicFilter,
    MqttQualityOfService MaximumQos,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    MqttRetainHandling RetainHandling = MqttRetainHandling.SendAtSubscribe,
    uint? SubscriptionIdentifier = null);

/// <summary>SUBSCRIBE: fixed header flags must be 0b0010 (MQTT-3.8.1-1); at least one filter (MQTT-3.8.3-3).</summary>
public sealed class SubscribePacket : MqttPacket, IMqttPacketWithIdentifier
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
    public ushort PacketId { get; init; }
    public required IReadOnlyList<MqttTopicSubscription> Subscriptions { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

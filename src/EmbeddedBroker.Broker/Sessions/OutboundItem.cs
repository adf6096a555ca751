using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sessions;

internal enum OutboundKind : byte
{
    Publish,

    /// <summary>A PUBREL re-sent after reconnect for a QoS 2 message whose PUBREC was already received.</summary>
    PubRel,
}

/// <summary>One packet a session hands to its connection's writer: a PUBLISH (new or re-sent) or a PUBREL.</summary>
internal readonly record struct OutboundItem(
    OutboundKind Kind,
    MqttApplicationMessage? Message,
    MqttQualityOfService Qos,
    bool Retain,
    bool Dup,
    ushort PacketId);

/// <summary>A message waiting in a session's queue, with the QoS and retain flag of this delivery.</summary>
internal readonly record struct QueuedDelivery(MqttApplicationMessage Message, MqttQualityOfService Qos, bool Retain);

internal enum InflightState : byte
{
    AwaitingPubAck,
    AwaitingPubRec,
    AwaitingPubComp,
}

/// <summary>An outbound QoS 1/2 message sent (or about to be) and not yet fully acknowledged.</summary>
internal sealed class InflightDelivery(QueuedDelivery delivery, ushort packetId, long sequence)
{
    public QueuedDelivery Delivery { get; } = delivery;
    public ushort PacketId { get; } = packetId;

    /// <summary>Send order, so a reconnecting client gets re-sent messages in their original order (MQTT-4.6.0-1).</summary>
    public long Sequence { get; } = sequence;

    public InflightState State { get; set; } = delivery.Qos == MqttQualityOfService.AtLeastOnce
        ? InflightState.AwaitingPubAck
        : InflightState.AwaitingPubRec;

    /// <summary>True while the current connection has not been sent this entry (set again on every reconnect).</summary>
    public bool NeedsSend { get; set; }
}

/// <summary>The connection currently serving a session; the session wakes its writer when it has something to send.</summary>
internal interface ISessionOwner
{
    void SignalOutbound();
}

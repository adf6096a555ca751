using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// A message waiting in a session's queue, with the QoS and retain flag of this delivery. <paramref name="Sequence"/>
/// orders the session's deliveries (MQTT-4.6.0-1) and names this one in the store; <paramref name="Size"/> is what it
/// counts against the session's byte limit; <paramref name="Identifiers"/> are the MQTT 5 subscription identifiers it
/// carries (MQTT-3.3.4-3); <paramref name="Group"/> is the shared subscription it came through, if any, so that it can
/// go to another member when this session ends (MQTT 5.0 4.8.2).
/// </summary>
internal readonly record struct QueuedDelivery(MqttApplicationMessage Message, MqttQualityOfService Qos, bool Retain, long Sequence, int Size,
    IReadOnlyList<uint>? Identifiers = null, SharedGroup<MqttSession>? Group = null)
{
    /// <summary>The bytes a message holds in memory, roughly: payload, topic, properties' share and the object itself.</summary>
    public static int SizeOf(MqttApplicationMessage message) =>
        message.Payload.Length + (message.Topic.Length * sizeof(char)) + (message.Properties.IsEmpty ? 0 : 256) + 128;
}

/// <summary>What an acknowledgement from the client did to the session's outbound flows.</summary>
internal enum AcknowledgementResult : byte
{
    /// <summary>It moved or ended the flow of its packet id.</summary>
    Accepted,

    /// <summary>No delivery uses the packet id (a late duplicate): ignored.</summary>
    UnknownPacketId,

    /// <summary>The id belongs to a flow of another QoS or stage (PUBREC for a QoS 1 message, PUBACK for QoS 2, PUBCOMP
    /// before PUBREC): a protocol violation (3.1.1 MQTT-4.8.0-1; 5.0 Protocol Error).</summary>
    WrongPacketType,
}

internal enum InflightState : byte
{
    AwaitingPubAck,
    AwaitingPubRec,
    AwaitingPubComp,
}

/// <summary>An outbound QoS 1/2 message sent (or about to be) and not yet fully acknowledged.</summary>
internal sealed class InflightDelivery(QueuedDelivery delivery, ushort packetId)
{
    public QueuedDelivery Delivery { get; } = delivery;
    public ushort PacketId { get; } = packetId;

    /// <summary>Send order, so a reconnecting client gets re-sent messages in their original order (MQTT-4.6.0-1).</summary>
    public long Sequence => Delivery.Sequence;

    public InflightState State { get; set; } = delivery.Qos == MqttQualityOfService.AtLeastOnce
        ? InflightState.AwaitingPubAck
        : InflightState.AwaitingPubRec;

    /// <summary>True while the current connection has not been sent this entry (set again on every reconnect).</summary>
    public bool NeedsSend { get; set; }

    public StoredDeliveryState StoredState => State switch
    {
        InflightState.AwaitingPubAck => StoredDeliveryState.AwaitingPubAck,
        InflightState.AwaitingPubRec => StoredDeliveryState.AwaitingPubRec,
        _ => StoredDeliveryState.AwaitingPubComp,
    };
}

/// <summary>A retained message matched by a new subscription, at the granted QoS, with that subscription's identifier.</summary>
internal readonly record struct RetainedDelivery(MqttApplicationMessage Message, MqttQualityOfService Qos, IReadOnlyList<uint>? Identifiers);

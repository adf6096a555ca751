using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sessions;

internal enum OutboundKind : byte
{
    Publish,

    /// <summary>A PUBREL re-sent after reconnect for a QoS 2 message whose PUBREC was already received.</summary>
    PubRel,
}

/// <summary>One packet a session hands to its connection's writer: a PUBLISH (new or re-sent, with the subscription
/// identifiers of this delivery) or a PUBREL.</summary>
internal readonly record struct OutboundItem(
    OutboundKind Kind,
    MqttApplicationMessage? Message,
    MqttQualityOfService Qos,
    bool Retain,
    bool Dup,
    ushort PacketId,
    IReadOnlyList<uint>? Identifiers = null);

/// <summary>The connection currently serving a session; the session wakes its writer when it has something to send.</summary>
internal interface ISessionOwner
{
    void SignalOutbound();
}

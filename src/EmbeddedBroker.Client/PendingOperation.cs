using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

internal enum PendingKind : byte
{
    PublishQos1,
    PublishQos2AwaitingPubRec,
    PublishQos2AwaitingPubComp,
    Subscribe,
    Unsubscribe,
}

/// <summary>
/// A request waiting for the server's answer, keyed by its packet identifier once it has one. It is its own
/// completion source (one allocation per request). The result is the SUBACK/UNSUBACK reason codes, or null for a publish.
/// A publish waiting for a free in-flight slot carries its message here and gets its identifier when sent.
/// </summary>
internal sealed class PendingOperation : TaskCompletionSource<IReadOnlyList<MqttReasonCode>?>
{
    public PendingOperation(PendingKind kind, int filterCount = 0)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Kind = kind;
        FilterCount = filterCount;
    }

    public PendingOperation(PendingKind kind, string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
        : this(kind)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
    }

    /// <summary>Zero until the request is sent.</summary>
    public ushort PacketId { get; set; }

    /// <summary>Changed only by the read loop (PUBREC moves a QoS 2 publish to awaiting PUBCOMP).</summary>
    public PendingKind Kind { get; set; }

    /// <summary>For UNSUBSCRIBE on 3.x, whose UNSUBACK carries no reason codes: how many Success codes to report.</summary>
    public int FilterCount { get; }

    public string Topic { get; } = "";
    public ReadOnlyMemory<byte> Payload { get; }
    public MqttQualityOfService Qos { get; }
    public bool Retain { get; }

    public bool IsPublish => Kind is PendingKind.PublishQos1 or PendingKind.PublishQos2AwaitingPubRec or PendingKind.PublishQos2AwaitingPubComp;

    public PublishPacket ToPublishPacket() => new() { Topic = Topic, Payload = Payload, Qos = Qos, Retain = Retain, PacketId = PacketId };

    /// <summary>The PUBLISH as it will be encoded, before it has its identifier (the size does not depend on its value).</summary>
    public PublishPacket ToPacketForSizing() => new() { Topic = Topic, Payload = Payload, Qos = Qos, Retain = Retain, PacketId = ushort.MaxValue };
}

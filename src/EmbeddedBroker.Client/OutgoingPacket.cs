using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// One item of the writer loop's queue, in one of three forms:
/// a packet to encode; a bare acknowledgement (PUBACK/PUBREC/PUBREL/PUBCOMP with Success, written as
/// four bytes so that acking a received message allocates nothing); or raw bytes for spec tests.
/// </summary>
internal readonly struct OutgoingPacket
{
    private OutgoingPacket(MqttPacket? packet, ReadOnlyMemory<byte> raw, MqttPacketType ackType, ushort ackId, TaskCompletionSource? written, bool holdsCredit)
    {
        Packet = packet;
        Raw = raw;
        AckType = ackType;
        AckId = ackId;
        Written = written;
        HoldsCredit = holdsCredit;
    }

    public MqttPacket? Packet { get; }
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Non-zero for the bare acknowledgement form.</summary>
    public MqttPacketType AckType { get; }

    public ushort AckId { get; }

    /// <summary>When set, completed once the bytes are flushed to the transport.</summary>
    public TaskCompletionSource? Written { get; }

    /// <summary>A QoS 0 publish that took a slot of the outgoing queue's capacity; the writer gives it back.</summary>
    public bool HoldsCredit { get; }

    public static OutgoingPacket ForPacket(MqttPacket packet, TaskCompletionSource? written = null, bool holdsCredit = false) =>
        new(packet, default, 0, 0, written, holdsCredit);

    public static OutgoingPacket ForAck(MqttPacketType type, ushort packetId) => new(null, default, type, packetId, null, false);

    public static OutgoingPacket ForRaw(ReadOnlyMemory<byte> bytes, TaskCompletionSource written) => new(null, bytes, 0, 0, written, false);
}

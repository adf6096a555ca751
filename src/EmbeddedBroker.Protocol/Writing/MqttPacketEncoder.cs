using System.Buffers;
using System.Diagnostics;
using EmbeddedBroker.Protocol.Writing;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Protocol;

/// <summary>
/// Encodes MQTT 3.1, 3.1.1 and 5.0 control packets. Each packet is measured first and then written in one pass into
/// <see cref="IBufferWriter{T}"/> memory. Fields a version cannot carry (5.0 properties and reason codes on 3.1.1
/// acknowledgements, DISCONNECT) are dropped, because the engine speaks 5.0 to every client; packets a version cannot
/// represent at all (AUTH before 5.0) throw <see cref="ArgumentException"/>.
/// </summary>
public static class MqttPacketEncoder
{
    /// <summary>Writes the whole packet (fixed header included) for <paramref name="version"/>; returns the bytes written.</summary>
    public static int Encode(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(writer);
        var sizes = Measure(packet, version);
        var total = GetPacketSize(sizes.RemainingLength);
        if (packet is PublishPacket publish)
        {
            return PublishPacketWriter.Encode(publish, version, sizes, total, writer);
        }
        var span = writer.GetSpan(total);
        var w = new MqttWriter(span);
        WriteFixedHeader(ref w, FirstByte(packet), sizes.RemainingLength);
        WriteBody(ref w, packet, version, sizes);
        Debug.Assert(w.Position == total, "measured and written sizes differ");
        writer.Advance(total);
        return total;
    }

    /// <summary>The exact number of bytes <see cref="Encode"/> writes, for maximum packet size checks (5.0 3.1.2.11.4).</summary>
    public static int GetEncodedSize(MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return GetPacketSize(Measure(packet, version).RemainingLength);
    }

    internal static int GetPacketSize(int remainingLength) => 1 + VariableByteInteger.GetSize(remainingLength) + remainingLength;

    internal static void WriteFixedHeader(ref MqttWriter w, byte firstByte, int remainingLength)
    {
        w.WriteByte(firstByte);
        w.WriteVariableByteInteger(remainingLength);
    }

    private static BodySizes Measure(MqttPacket packet, MqttProtocolVersion version) => packet switch
    {
        PublishPacket p => PublishPacketWriter.Measure(p, version),
        PublishAcknowledgementPacket p => PublishAckPacketWriter.Measure(p, version),
        ConnectPacket p => ConnectPacketWriter.Measure(p, version),
        ConnAckPacket p => ConnAckPacketWriter.Measure(p, version),
        SubscribePacket p => SubscribePacketWriter.Measure(p, version),
        SubAckPacket p => SubAckPacketWriter.Measure(p, version),
        UnsubscribePacket p => UnsubscribePacketWriter.Measure(p, version),
        UnsubAckPacket p => UnsubAckPacketWriter.Measure(p, version),
        PingReqPacket or PingRespPacket => new BodySizes(0),
        DisconnectPacket p => DisconnectAndAuthPacketWriter.Measure(p, version),
        AuthPacket p => DisconnectAndAuthPacketWriter.Measure(p, version),
        _ => throw new ArgumentException($"Unknown packet type {packet.GetType().Name}.", nameof(packet)),
    };

    private static void WriteBody(ref MqttWriter w, MqttPacket packet, MqttProtocolVersion version, in BodySizes sizes)
    {
        switch (packet)
        {
            case PublishAcknowledgementPacket p: PublishAckPacketWriter.Write(ref w, p, version, sizes); break;
            case ConnectPacket p: ConnectPacketWriter.Write(ref w, p, version, sizes); break;
            case ConnAckPacket p: ConnAckPacketWriter.Write(ref w, p, version, sizes); break;
            case SubscribePacket p: SubscribePacketWriter.Write(ref w, p, version, sizes); break;
            case SubAckPacket p: SubAckPacketWriter.Write(ref w, p, version, sizes); break;
            case UnsubscribePacket p: UnsubscribePacketWriter.Write(ref w, p, version, sizes); break;
            case UnsubAckPacket p: UnsubAckPacketWriter.Write(ref w, p, version, sizes); break;
            case DisconnectPacket p: DisconnectAndAuthPacketWriter.Write(ref w, p.ReasonCode, p.Properties, sizes); break;
            case AuthPacket p: DisconnectAndAuthPacketWriter.Write(ref w, p.ReasonCode, p.Properties, sizes); break;
        }
    }

    /// <summary>Type in the high nibble; flags 0b0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE (MQTT-3.6.1-1, 3.8.1-1, 3.10.1-1).</summary>
    private static byte FirstByte(MqttPacket packet)
    {
        var flags = packet.Type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0b0010 : 0;
        return (byte)(((int)packet.Type << 4) | flags);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// The MQTT data representations (1.5) written by hand, so that a case can hold exactly the bytes a spec statement
/// forbids (ill-formed UTF-8, a duplicate property, a 5-byte length), which the codec's encoder would refuse to write.
/// </summary>
internal sealed class PacketBytes
{
    private readonly ArrayBufferWriter<byte> _body = new();

    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(packet, version, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Fixed header (first byte, remaining length) around <paramref name="body"/>.</summary>
    public static byte[] Frame(byte firstByte, ReadOnlySpan<byte> body)
    {
        var header = Varint(body.Length);
        var packet = new byte[1 + header.Length + body.Length];
        packet[0] = firstByte;
        header.CopyTo(packet, 1);
        body.CopyTo(packet.AsSpan(1 + header.Length));
        return packet;
    }

    /// <summary>The minimal variable byte integer (1.5.5).</summary>
    public static byte[] Varint(int value)
    {
        var bytes = new List<byte>(4);
        do
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);
        return [.. bytes];
    }

    /// <summary>Reads the fixed header of <paramref name="bytes"/>: false when the length has more than 4 bytes or is cut off.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> bytes, out int headerLength, out int remainingLength)
    {
        remainingLength = 0;
        for (var i = 1; i < bytes.Length && i <= 4; i++)
        {
            remainingLength |= (bytes[i] & 0x7F) << (7 * (i - 1));
            if ((bytes[i] & 0x80) == 0)
            {
                headerLength = i + 1;
                return true;
            }
        }

        headerLength = 0;
        return false;
    }

    public byte[] Packet(byte firstByte) => Frame(firstByte, _body.WrittenSpan);

    public byte[] ToArray() => _body.WrittenSpan.ToArray();

    public int Length => _body.WrittenCount;

    public PacketBytes Byte(byte value)
    {
        _body.Write([value]);
        return this;
    }

    public PacketBytes UInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_body.GetSpan(2), (ushort)value);
        _body.Advance(2);
        return this;
    }

    public PacketBytes UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_body.GetSpan(4), value);
        _body.Advance(4);
        return this;
    }

    public PacketBytes VarInt(int value) => Raw(Varint(value));

    public PacketBytes Raw(ReadOnlySpan<byte> bytes)
    {
        _body.Write(bytes);
        return this;
    }

    /// <summary>A UTF-8 Encoded String (1.5.4) of well-formed text.</summary>
    public PacketBytes String(string text) => LengthPrefixed(Encoding.UTF8.GetBytes(text));

    /// <summary>Two-byte length then exactly these bytes: a string field holding anything at all, or Binary Data.</summary>
    public PacketBytes LengthPrefixed(ReadOnlySpan<byte> bytes) => UInt16(bytes.Length).Raw(bytes);

    /// <summary>A property block (2.2.2): its length as a variable byte integer, then what <paramref name="write"/> writes.</summary>
    public PacketBytes Properties(Action<PacketBytes> write)
    {
        var block = new PacketBytes();
        write(block);
        return VarInt(block.Length).Raw(block._body.WrittenSpan);
    }
}

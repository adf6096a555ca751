using System.Text;
using System.Buffers.Binary;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// Writes MQTT data types (3.1.1 section 1.5, 5.0 section 1.5) forward into a span that was sized beforehand,
/// so every packet is written in one pass without bounds juggling.
/// </summary>
internal ref struct MqttWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    /// <summary>Two Byte Integer, big-endian (1.5.2).</summary>
    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], value);
        _position += 2;
    }

    /// <summary>Four Byte Integer, big-endian (5.0 1.5.3).</summary>
    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) => _position += VariableByteInteger.Write(_destination[_position..], value);

    /// <summary>UTF-8 Encoded String: two byte length then the bytes (1.5.3 / 5.0 1.5.4). Size checked by <see cref="MqttStrings.GetSize"/>.</summary>
    public void WriteString(string value)
    {
        var written = Encoding.UTF8.GetBytes(value, _destination[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], (ushort)written);
        _position += 2 + written;
    }

    /// <summary>Binary Data: two byte length then the bytes (5.0 1.5.6; 3.1.1 will message and password).</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }
}

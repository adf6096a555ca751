using System.Text;
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;
using EmbeddedBroker.Protocol.Writing;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// Reads MQTT data types (3.1.1 section 1.5, 5.0 section 1.5) from exactly one packet's variable header and payload,
/// which may be split across any number of pipe segments. Running past the end throws <see cref="MalformedPacketException"/>:
/// the remaining length is known, so a short body is malformed, never "need more data".
/// </summary>
internal ref struct MqttReader(ReadOnlySequence<byte> body)
{
    private const int StackCopyLimit = 256;
    private SequenceReader<byte> _reader = new(body);

    public readonly long Remaining => _reader.Remaining;

    public readonly bool End => _reader.End;

    public byte ReadByte()
    {
        if (!_reader.TryRead(out var value))
        {
            throw new MalformedPacketException("packet shorter than its fields");
        }
        return value;
    }

    public ushort ReadUInt16()
    {
        if (!_reader.TryReadBigEndian(out short value))
        {
            throw new MalformedPacketException("packet shorter than its fields");
        }
        return (ushort)value;
    }

    public uint ReadUInt32()
    {
        if (!_reader.TryReadBigEndian(out int value))
        {
            throw new MalformedPacketException("packet shorter than its fields");
        }
        return (uint)value;
    }

    /// <summary>Packet identifier: non-zero wherever one is present (MQTT-2.3.1-1).</summary>
    public ushort ReadPacketId()
    {
        var id = ReadUInt16();
        return id != 0 ? id : throw new MalformedPacketException("packet identifier 0 (MQTT-2.3.1-1)");
    }

    public int ReadVariableByteInteger()
    {
        return VariableByteInteger.TryRead(ref _reader, out var value) switch
        {
            VariableByteIntegerResult.Ok => value,
            VariableByteIntegerResult.NeedMoreData => throw new MalformedPacketException("packet shorter than its fields"),
            _ => throw new MalformedPacketException("variable byte integer over 4 bytes (MQTT-1.5.5)"),
        };
    }

    /// <summary>
    /// UTF-8 Encoded String. Ill-formed UTF-8 (including encoded surrogates) and U+0000 are malformed
    /// (MQTT-1.5.3-1, MQTT-1.5.3-2). A BOM is kept as a character (MQTT-1.5.3-3). Decoded straight from the
    /// segment when it is contiguous, so the string is the only allocation.
    /// </summary>
    public string ReadString()
    {
        var length = ReadUInt16();
        if (length == 0)
        {
            return "";
        }
        EnsureAvailable(length);
        var unread = _reader.UnreadSpan;
        if (unread.Length >= length)
        {
            var text = DecodeUtf8(unread[..length]);
            _reader.Advance(length);
            return text;
        }
        return ReadSplitString(length);
    }

    /// <summary>Binary Data (5.0 1.5.6; will payload and password in 3.1.1): copied out because pipe memory is reused.</summary>
    public byte[] ReadBinary()
    {
        var length = ReadUInt16();
        if (length == 0)
        {
            return [];
        }
        EnsureAvailable(length);
        var bytes = _reader.UnreadSequence.Slice(0, length).ToArray();
        _reader.Advance(length);
        return bytes;
    }

    /// <summary>Everything left in the packet, copied once into a new array (the PUBLISH payload).</summary>
    public ReadOnlyMemory<byte> ReadRemainingBytes()
    {
        if (_reader.End)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        var bytes = _reader.UnreadSequence.ToArray();
        _reader.AdvanceToEnd();
        return bytes;
    }

    /// <summary>Ignores the rest of the packet (an unsupported CONNECT is answered from its protocol level alone).</summary>
    public void SkipRest() => _reader.AdvanceToEnd();

    /// <summary>Restricts further reads to the next <paramref name="length"/> bytes (a property block); returns the reader for them.</summary>
    public MqttReader ReadSubReader(int length)
    {
        EnsureAvailable(length);
        var sub = new MqttReader(_reader.UnreadSequence.Slice(0, length));
        _reader.Advance(length);
        return sub;
    }

    private readonly void EnsureAvailable(int length)
    {
        if (_reader.Remaining < length)
        {
            throw new MalformedPacketException("length prefix runs past the end of the packet");
        }
    }

    private string ReadSplitString(int length)
    {
        byte[]? rented = null;
        var buffer = length <= StackCopyLimit ? stackalloc byte[StackCopyLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var bytes = buffer[..length];
            _reader.TryCopyTo(bytes);
            _reader.Advance(length);
            return DecodeUtf8(bytes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (!Utf8.IsValid(bytes))
        {
            throw new MalformedPacketException("ill-formed UTF-8 string (MQTT-1.5.3-1)");
        }
        if (bytes.Contains((byte)0))
        {
            throw new MalformedPacketException("UTF-8 string contains U+0000 (MQTT-1.5.3-2)");
        }
        return Encoding.UTF8.GetString(bytes);
    }
}

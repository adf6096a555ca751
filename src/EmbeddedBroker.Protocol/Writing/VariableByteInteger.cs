using System.Buffers;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// The Variable Byte Integer of MQTT (3.1.1 section 2.2.3, 5.0 section 1.5.5): 7 bits per byte, least significant
/// group first, high bit = "more bytes follow", at most 4 bytes (so at most 268,435,455).
/// </summary>
internal static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;
    public const int MaxLength = 4;

    public static int GetSize(int value) => value switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer cannot be negative."),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= MaxValue => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer holds at most 268,435,455 (MQTT 1.5.5)."),
    };

    /// <summary>Writes the minimal encoding (MQTT-1.5.5-1 asks senders for the minimum number of bytes).</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var index = 0;
        var remaining = (uint)value;
        do
        {
            var digit = (byte)(remaining & 0x7F);
            remaining >>= 7;
            if (remaining > 0)
            {
                digit |= 0x80;
            }
            destination[index++] = digit;
        }
        while (remaining > 0);
        return index;
    }

    /// <summary>
    /// Reads a variable byte integer from the start of <paramref name="reader"/>. Non-minimal encodings are accepted
    /// (the minimum-bytes rule binds the sender only). A continuation bit on the 4th byte is malformed.
    /// </summary>
    public static VariableByteIntegerResult TryRead(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        var multiplier = 0;
        for (var index = 0; index < MaxLength; index++)
        {
            if (!reader.TryRead(out var digit))
            {
                return VariableByteIntegerResult.NeedMoreData;
            }
            value |= (digit & 0x7F) << multiplier;
            if ((digit & 0x80) == 0)
            {
                return VariableByteIntegerResult.Ok;
            }
            multiplier += 7;
        }
        return VariableByteIntegerResult.Malformed;
    }
}

internal enum VariableByteIntegerResult
{
    Ok,
    NeedMoreData,
    Malformed,
}

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// Makes the bytes of a step end on a packet boundary, as the broker frames them (fixed header and remaining length,
/// 2.2.3): a last packet that announces more bytes than the step holds gets random bytes up to its announced end.
/// Then the PINGREQ probe behind it is read as a packet of its own, and an answer (or a close) is due at once instead
/// of after the partial-packet timeout. Lengths the broker refuses at the header (more than four bytes, over its
/// Maximum Packet Size) need nothing: the connection closes there.
/// </summary>
internal static class FrameCompletion
{
    public static byte[] Complete(byte[] bytes, int maximumPacketSize, Random random)
    {
        var completed = new List<byte>(bytes);
        var offset = 0;
        while (offset < completed.Count)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(completed)[offset..];
            if (!PacketBytes.TryReadHeader(span, out var headerLength, out var remainingLength))
            {
                var lengthBytes = span.Length - 1;
                if (lengthBytes >= 4)
                    break; // five length bytes: malformed at the header
                completed.Add(0x00); // ends the variable byte integer (a shorter cut, still a valid length)
                continue;
            }

            var size = headerLength + remainingLength;
            if (size > maximumPacketSize)
                break; // refused at the header (MQTT 5: 0x95)
            var missing = offset + size - completed.Count;
            if (missing > 0)
            {
                var padding = new byte[missing];
                random.NextBytes(padding);
                completed.AddRange(padding);
                break;
            }

            offset += size;
        }

        return [.. completed];
    }
}

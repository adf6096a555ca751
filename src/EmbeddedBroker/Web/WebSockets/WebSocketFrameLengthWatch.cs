using System.Buffers.Binary;

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// Follows the frame headers of the client-to-server direction of a WebSocket (RFC 6455 section 5.2) as its bytes
/// pass, to refuse a message at the header that announces it is too long, before any of its payload is read. A message
/// is a data frame and its continuation frames up to FIN; control frames (opcodes 8-15, at most 125 bytes) interleave
/// without counting. Framing errors are left to the framework's WebSocket, which closes with 1002.
/// </summary>
internal sealed class WebSocketFrameLengthWatch(long messageLimit)
{
    private readonly byte[] _header = new byte[14]; // 2 bytes, up to 8 of extended length, 4 of masking key
    private int _have;
    private long _frameLength;
    private long _payloadLeft;
    private long _messageLength;

    /// <summary>The length the refused message announced (all of its frames so far plus the new one), once refused.</summary>
    public long? RefusedLength { get; private set; }

    /// <summary>Inspects the next <paramref name="bytes"/>; returns how many of them may go on to the WebSocket: all of them,
    /// or those before the header of a frame that takes its message over the limit.</summary>
    public int Inspect(ReadOnlySpan<byte> bytes)
    {
        var headerStart = 0; // where the current header began in these bytes (0: in earlier bytes, already passed on)
        var index = 0;
        while (index < bytes.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length - index);
                index += skip;
                _payloadLeft -= skip;
                if (_payloadLeft == 0)
                    EndFrame();
                continue;
            }

            if (_have == 0)
                headerStart = index;
            _header[_have++] = bytes[index++];
            if (_have < 2)
                continue;

            var lengthCode = _header[1] & 0x7F;
            var extended = lengthCode switch { 126 => 2, 127 => 8, _ => 0 };
            if (_have == 2 + extended && !Announce(lengthCode, extended))
                return headerStart;
            if (_have < 2 + extended + ((_header[1] & 0x80) != 0 ? 4 : 0))
                continue;

            _have = 0;
            _payloadLeft = _frameLength;
            if (_payloadLeft == 0)
                EndFrame();
        }

        return bytes.Length;
    }

    /// <summary>The frame's length is known: false (and refused) when it takes a data message over the limit.</summary>
    private bool Announce(int lengthCode, int extended)
    {
        var length = extended switch
        {
            0 => (ulong)lengthCode,
            2 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            _ => BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)), // the most significant bit must be 0 (5.2): then it is over any limit
        };
        if (IsControl)
        {
            _frameLength = (long)Math.Min(length, long.MaxValue);
            return true;
        }

        if (length > (ulong)(messageLimit - _messageLength))
        {
            RefusedLength = (long)Math.Min(length + (ulong)_messageLength, long.MaxValue);
            return false;
        }

        _frameLength = (long)length;
        _messageLength += _frameLength;
        return true;
    }

    private bool IsControl => (_header[0] & 0x08) != 0;

    private bool IsFinal => (_header[0] & 0x80) != 0;

    private void EndFrame()
    {
        if (!IsControl && IsFinal)
            _messageLength = 0;
    }
}

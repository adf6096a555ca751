using System.Buffers;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>Backward and whole-file scans used to find the end of the last complete record after a crash.</summary>
internal static class FileTail
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Position of the last <paramref name="value"/> before <paramref name="end"/>, or -1.</summary>
    public static long LastIndexOf(FileStream file, byte value, long end)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var position = end;
            while (position > 0)
            {
                var start = Math.Max(0, position - ChunkSize);
                var chunk = buffer.AsSpan(0, (int)(position - start));
                ReadExactly(file, start, chunk);
                var index = chunk.LastIndexOf(value);
                if (index >= 0)
                {
                    return start + index;
                }

                position = start;
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads bytes [start, end) into a new array (a single line; records are one line each).</summary>
    public static byte[] ReadRange(FileStream file, long start, long end)
    {
        var bytes = new byte[end - start];
        ReadExactly(file, start, bytes);
        return bytes;
    }

    /// <summary>
    /// End of the last complete CSV record: just after the last '\n' that is outside quotes. RFC 4180 quotes every
    /// field holding a '"' and doubles it, so the quote count before a position is even exactly when the position is
    /// outside a quoted field; one vectorised count over the file gives that parity without parsing it.
    /// </summary>
    public static long EndOfLastCompleteCsvRecord(FileStream file)
    {
        var length = file.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long quotes = 0;
            for (long start = 0; start < length; start += ChunkSize)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(ChunkSize, length - start));
                ReadExactly(file, start, chunk);
                quotes += chunk.Count((byte)'"');
            }

            long quotesAfter = 0;
            var position = length;
            while (position > 0)
            {
                var start = Math.Max(0, position - ChunkSize);
                var chunk = buffer.AsSpan(0, (int)(position - start));
                ReadExactly(file, start, chunk);
                for (var i = chunk.Length - 1; i >= 0; i--)
                {
                    if (chunk[i] == (byte)'\n' && (quotes - quotesAfter) % 2 == 0)
                    {
                        return start + i + 1;
                    }

                    if (chunk[i] == (byte)'"')
                    {
                        quotesAfter++;
                    }
                }

                position = start;
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Removes the '\n' padding a direct write leaves past the real end until the file is cut back (see
    /// <see cref="DirectAppend"/>): a trailing run of several '\n' becomes one. No format writes two '\n' at the end of
    /// a record (CSV ends records with "\r\n", JSON Lines with one "\n", the JSON array with "\n]"), so only padding goes.
    /// Returns the number of bytes removed.
    /// </summary>
    public static int RemoveNewlinePadding(FileStream file)
    {
        var length = file.Length;
        Span<byte> end = stackalloc byte[2 * DirectIo.Alignment];
        var chunk = end[..(int)Math.Min(end.Length, length)];
        ReadExactly(file, length - chunk.Length, chunk);
        var run = chunk.Length - chunk.TrimEnd((byte)'\n').Length;
        if (run < 2)
        {
            return 0;
        }

        file.SetLength(length - run + 1);
        return run - 1;
    }

    public static void ReadExactly(FileStream file, long start, Span<byte> destination)
    {
        file.Position = start;
        file.ReadExactly(destination);
    }
}

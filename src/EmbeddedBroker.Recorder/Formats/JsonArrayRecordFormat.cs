using System.Buffers;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>
/// A JSON array that is valid after every flush, one record per line:
/// <code>
/// [
/// {"timestamp":...},
/// {"timestamp":...}
/// ]
/// </code>
/// Appending seeks back over the closing "\n]", writes ",\n{record}" and, at each flush, "\n]" again, so the file can be
/// opened (json.load, JSON.parse) at any moment. A crash between flushes can leave the array open or the last record
/// torn; <see cref="TryRepair"/> repairs that on the next start by keeping every complete line and closing the array.
/// </summary>
internal sealed class JsonArrayRecordFormat(ILogger logger) : IRecordFormat
{
    public string Extension => ".json";

    /// <summary>Every batch overwrites the closing "\n]" and ends with it again.</summary>
    public int TrailerLength => 2;

    public bool TryRepair(FileStream file, out bool hasRecords)
    {
        hasRecords = false;
        var length = file.Length;
        if (length == 0)
        {
            file.Write("[\n]"u8);
            return true;
        }

        if (!StartsWithArray(file))
        {
            return false;
        }

        long appendPosition;
        var last = LastNonWhitespace(file, length);
        if (last >= 0 && ReadByte(file, last) == (byte)']')
        {
            // Closed array (ours, or any valid array such as an earlier export): append before its closing bracket.
            var beforeBracket = LastNonWhitespace(file, last);
            hasRecords = beforeBracket >= 0 && ReadByte(file, beforeBracket) != (byte)'[';
            appendPosition = beforeBracket + 1;
        }
        else if (!TryFindEndOfLastCompleteRecord(file, length, out appendPosition, out hasRecords))
        {
            return false;
        }

        if (appendPosition + 2 != length || ReadByte(file, length - 1) != (byte)']' || ReadByte(file, length - 2) != (byte)'\n')
        {
            var removed = length - appendPosition;
            if (last < 0 || ReadByte(file, last) != (byte)']')
            {
                logger.LogWarning("Recorder: {File} was left open by an interrupted run; kept every complete record, removed the last {Bytes} bytes and closed the array",
                    file.Name, removed);
            }

            // Leaves the file ending in exactly "\n]", where every batch starts writing.
            file.SetLength(appendPosition);
            file.Position = appendPosition;
            file.Write("\n]"u8);
        }

        return true;
    }

    /// <summary>
    /// The batch starts with two placeholder bytes for the separator before its first record: ",\n" when the file
    /// already holds records, "\n" otherwise, settled by <see cref="BytesToAppend"/> at each write.
    /// </summary>
    public void Write(RecordBatch batch, in MessageRecord record)
    {
        batch.Write(batch.Length == 0 ? "\n\n"u8 : ",\n"u8);
        JsonRecordEncoder.Write(batch, record);
    }

    public void Finish(RecordBatch batch)
    {
        if (batch.Length > 0)
        {
            batch.Write("\n]"u8);
        }
    }

    public ReadOnlySpan<byte> BytesToAppend(Span<byte> finishedBatch, bool fileHasRecords)
    {
        if (fileHasRecords)
        {
            finishedBatch[0] = (byte)',';
            return finishedBatch;
        }

        return finishedBatch[1..];
    }

    public void Dispose()
    {
    }

    /// <summary>
    /// The array is open: records are whole lines, so only the last line can be torn. Keep the last line if it is a
    /// complete object, else the line before it (a complete record or the opening "["). Anything else is not our file.
    /// </summary>
    private static bool TryFindEndOfLastCompleteRecord(FileStream file, long length, out long end, out bool hasRecords)
    {
        var lineEnd = length;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var newline = FileTail.LastIndexOf(file, (byte)'\n', lineEnd);
            var lineStart = newline + 1;
            var line = FileTail.ReadRange(file, lineStart, lineEnd).AsSpan().TrimEnd(" \t\r"u8);
            if (line.EndsWith(","u8))
            {
                line = line[..^1];
            }

            if (TailRepair.IsCompleteJsonObject(line))
            {
                end = lineStart + line.Length;
                hasRecords = true;
                return true;
            }

            if (line.Trim(" \t\r"u8).SequenceEqual("["u8))
            {
                end = lineStart + line.IndexOf((byte)'[') + 1;
                hasRecords = false;
                return true;
            }

            if (newline < 0)
            {
                break;
            }

            lineEnd = newline;
        }

        end = 0;
        hasRecords = false;
        return false;
    }

    private static bool StartsWithArray(FileStream file)
    {
        Span<byte> start = stackalloc byte[64];
        file.Position = 0;
        var read = file.Read(start);
        var content = start[..read].TrimStart(" \t\r\n"u8);
        return !content.IsEmpty && content[0] == (byte)'[';
    }

    /// <summary>Position of the last byte before <paramref name="end"/> that is not JSON whitespace, or -1.</summary>
    private static long LastNonWhitespace(FileStream file, long end)
    {
        for (var position = end - 1; position >= 0; position--)
        {
            var value = ReadByte(file, position);
            if (value is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return position;
            }
        }

        return -1;
    }

    private static byte ReadByte(FileStream file, long position)
    {
        file.Position = position;
        return (byte)file.ReadByte();
    }
}

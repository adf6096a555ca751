using System.Buffers;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>
/// JSON Lines (<c>.jsonl</c>): one record object per line, each ending with "\n", for streaming tools
/// (<c>tail -f | jq</c>, pandas <c>read_json(lines=True)</c>). A torn last line left by a crash is removed on the next start.
/// </summary>
internal sealed class JsonLinesRecordFormat(ILogger logger) : IRecordFormat
{
    public string Extension => ".jsonl";

    public int TrailerLength => 0;

    public bool TryRepair(FileStream file, out bool hasRecords)
    {
        hasRecords = false;
        if (file.Length > 0 && !StartsWithObject(file))
        {
            return false; // another program's file: decided before any repair, so it is never changed
        }

        TailRepair.RemoveDirectWritePadding(file, logger);
        var length = file.Length;
        var keep = FileTail.LastIndexOf(file, (byte)'\n', length) + 1;
        if (keep < length && TailRepair.IsCompleteJsonObject(FileTail.ReadRange(file, keep, length)))
        {
            // The record is whole, only its line break is missing.
            file.Position = length;
            file.WriteByte((byte)'\n');
            keep = length + 1;
        }

        TailRepair.RemoveIncompleteRecord(file, keep, logger);
        file.Position = keep;
        hasRecords = keep > 0;
        return true;
    }

    public void Write(RecordBatch batch, in MessageRecord record)
    {
        JsonRecordEncoder.Write(batch, record);
        batch.Write("\n"u8);
    }

    public void Finish(RecordBatch batch)
    {
    }

    public ReadOnlySpan<byte> BytesToAppend(Span<byte> finishedBatch, bool fileHasRecords) => finishedBatch;

    public void Dispose()
    {
    }

    private static bool StartsWithObject(FileStream file)
    {
        file.Position = 0;
        return file.ReadByte() == '{';
    }
}

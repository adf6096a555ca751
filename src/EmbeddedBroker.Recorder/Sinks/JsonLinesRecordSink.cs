using System.Buffers;
using EmbeddedBroker.Recorder.Formats;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Sinks;

/// <summary>
/// JSON Lines (<c>.jsonl</c>): one record object per line, each ending with "\n", for streaming tools
/// (<c>tail -f | jq</c>, pandas <c>read_json(lines=True)</c>). A torn last line left by a crash is removed on the next start.
/// </summary>
internal sealed class JsonLinesRecordSink(string basePath, ILogger logger, PositionalWrite? positionalWrite = null)
    : RecordFileSink(basePath, ".jsonl", logger, positionalWrite)
{
    protected override bool OpenCore(FileStream file)
    {
        if (file.Length > 0 && !StartsWithObject(file))
        {
            return false; // another program's file: decided before any repair, so it is never changed
        }

        RemoveDirectWritePadding(file);
        var length = file.Length;
        var keep = FileTail.LastIndexOf(file, (byte)'\n', length) + 1;
        if (keep < length)
        {
            var lastLine = FileTail.ReadRange(file, keep, length);
            if (TailRepair.IsCompleteJsonObject(lastLine))
            {
                // The record is whole, only its line break is missing.
                file.Position = length;
                file.WriteByte((byte)'\n');
                keep = length + 1;
            }
            else
            {
                Logger.LogWarning("Recorder: {File} ended with an incomplete record (the process stopped while writing); removed its last {Bytes} bytes",
                    FilePath, length - keep);
                file.SetLength(keep);
            }
        }

        file.Position = keep;
        HasRecords = keep > 0;
        return true;
    }

    protected override void WriteCore(in MessageRecord record)
    {
        JsonRecordEncoder.Write(Batch, record);
        Batch.Write("\n"u8);
    }

    private static bool StartsWithObject(FileStream file)
    {
        file.Position = 0;
        return file.ReadByte() == '{';
    }
}

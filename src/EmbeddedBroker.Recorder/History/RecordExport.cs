using System.Buffers;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Formats;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Recorder.History;

/// <summary>
/// Writes recorded messages to a stream in the recorder's own file formats, byte for byte what the CSV / JSON / JSON
/// Lines files hold for them (the same formats format them): for GET /api/messages/export. Records are formatted into
/// one reused batch that is written out every <see cref="ChunkBytes"/>, so memory holds one chunk whatever the range.
/// </summary>
public static class RecordExport
{
    private const int ChunkBytes = 256 * 1024;

    /// <summary>True for "csv", "json" and "jsonl".</summary>
    public static bool IsFormat(string? format) => format is "csv" or "json" or "jsonl";

    public static string ContentType(string format) => format switch
    {
        "csv" => "text/csv; charset=utf-8",
        "jsonl" => "application/x-ndjson",
        _ => "application/json",
    };

    public static async Task WriteAsync(IAsyncEnumerable<HistoryEntry> entries, string format, Stream output, CancellationToken cancellationToken)
    {
        var records = new MessageRecordFactory();
        var batch = new RecordBatch();
        using var csv = format == "csv" ? new CsvRecordFormat(escapeFormulas: false, NullLogger.Instance) : null;
        var first = true;
        await output.WriteAsync(format switch { "csv" => CsvRecordFormat.HeaderLine, "json" => "["u8.ToArray(), _ => [] }, cancellationToken).ConfigureAwait(false);
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Append(batch, csv, format, records.Create(entry.Message), first);
            first = false;
            if (batch.Length >= ChunkBytes)
            {
                await WriteOutAsync(batch, csv, output, cancellationToken).ConfigureAwait(false);
            }
        }

        if (format == "json")
        {
            batch.Write("\n]"u8);
        }

        await WriteOutAsync(batch, csv, output, cancellationToken).ConfigureAwait(false);
    }

    private static void Append(RecordBatch batch, CsvRecordFormat? csv, string format, in MessageRecord record, bool first)
    {
        switch (format)
        {
            case "csv":
                csv!.Write(batch, record);
                break;
            case "json":
                batch.Write(first ? "\n"u8 : ",\n"u8);
                JsonRecordEncoder.Write(batch, record);
                break;
            default:
                JsonRecordEncoder.Write(batch, record);
                batch.Write("\n"u8);
                break;
        }
    }

    private static async Task WriteOutAsync(RecordBatch batch, CsvRecordFormat? csv, Stream output, CancellationToken cancellationToken)
    {
        csv?.Finish(batch);
        await output.WriteAsync(batch.Written, cancellationToken).ConfigureAwait(false);
        batch.Clear();
    }
}

using System.Text;
using CsvHelper;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>
/// RFC 4180 CSV through CsvHelper: CRLF record ends, fields quoted when they hold a comma, quote, CR or LF (RFC 4180's
/// rule, CsvHelper's default), quotes doubled, UTF-8 without byte order mark, header written only into a new/empty file.
/// Leading and trailing spaces are part of the field and are written as they are (RFC 4180 section 2.4; Python's csv,
/// pandas and spreadsheets keep them). Quoting them as well was CsvHelper's slow path: 173 instead of 75 ns per record.
/// <para>
/// Formula cells: payloads, topics and client ids are written verbatim by default, even when they start with
/// = + - @ tab or CR, because a data log must give back the exact bytes the device sent (a "-12.5" reading must not
/// become "'-12.5"). Opening the file in a spreadsheet can therefore evaluate a hostile payload as a formula; import it
/// as text, or set Recorder:CsvEscapeFormulas=true for files meant for spreadsheets (CsvHelper then prefixes such
/// cells with ', which is no longer byte-exact).
/// </para>
/// Fields are written from UTF-8 spans into the file's in-memory batch (through one CsvWriter kept for the file's
/// lifetime), so a record costs no allocation and a flush is one write to the file.
/// </summary>
internal sealed class CsvRecordFormat : IRecordFormat
{
    internal static readonly byte[] HeaderLine = Encoding.ASCII.GetBytes(string.Join(',', RecordFields.Header) + "\r\n");

    private readonly ILogger logger;
    private readonly BatchBufferStream batchStream = new();
    private readonly CsvWriter csv;

    public CsvRecordFormat(bool escapeFormulas, ILogger logger)
    {
        this.logger = logger;
        var writerOptions = CsvWriterOptions.Default with
        {
            NewLine = "\r\n",
            Quoting = CsvQuoting.WhenNeeded,
            Injection = escapeFormulas ? CsvInjection.Escape : CsvInjection.None,
        };
        csv = CsvWriter.Create(batchStream, writerOptions, leaveOpen: true);
    }

    public string Extension => ".csv";

    public int TrailerLength => 0;

    public bool TryRepair(FileStream file, out bool hasRecords)
    {
        hasRecords = false;
        if (StartsWithHeader(file, file.Length))
        {
            TailRepair.RemoveDirectWritePadding(file, logger); // only in our own files: another program's CSV is never changed
        }

        var keep = FileTail.EndOfLastCompleteCsvRecord(file);
        if (keep > 0 && !StartsWithHeader(file, keep))
        {
            return false;
        }

        TailRepair.RemoveIncompleteRecord(file, keep, logger);
        if (keep == 0)
        {
            file.Position = 0;
            file.Write(HeaderLine);
        }

        hasRecords = keep > HeaderLine.Length;
        return true;
    }

    public void Write(RecordBatch batch, in MessageRecord record)
    {
        WriteTo(batch);
        var writer = csv;
        var message = record.Message;
        writer.WriteField(record.TimestampUtf8);
        WriteText(writer, record.Topic, message.Topic);
        if (record.PayloadIsUtf8)
        {
            writer.WriteField(message.Payload.Span);
        }
        else
        {
            WriteBase64(writer, message.Payload.Span);
        }

        writer.WriteField(RecordText.Qos(message.Qos));
        writer.WriteField(message.Retain ? "true"u8 : "false"u8);
        WriteText(writer, record.ClientId, message.SourceClientId ?? string.Empty);
        writer.WriteField(record.PayloadIsUtf8 ? "utf8"u8 : "base64"u8);
        writer.EndRecord();
    }

    /// <summary>Pushes what CsvHelper still buffers into the batch.</summary>
    public void Finish(RecordBatch batch)
    {
        WriteTo(batch);
        csv.Flush();
    }

    public ReadOnlySpan<byte> BytesToAppend(Span<byte> finishedBatch, bool fileHasRecords) => finishedBatch;

    public void Dispose()
    {
        csv.Dispose();
        batchStream.Dispose();
    }

    /// <summary>CsvHelper writes to a stream: the one that appends to <paramref name="batch"/> (always the same one per file).</summary>
    private void WriteTo(RecordBatch batch)
    {
        if (!ReferenceEquals(batchStream.Target, batch))
        {
            batchStream.Target = batch;
        }
    }

    private static bool StartsWithHeader(FileStream file, long length)
    {
        if (length < HeaderLine.Length)
        {
            return false;
        }

        Span<byte> start = stackalloc byte[HeaderLine.Length];
        FileTail.ReadExactly(file, 0, start);
        return start.SequenceEqual(HeaderLine);
    }

    /// <summary>Writes the field from its UTF-8 bytes (no transcoding); the string only when it is not valid UTF-16.</summary>
    private static void WriteText(CsvWriter writer, RecordText.Field field, string text)
    {
        if (field.IsUtf8)
        {
            writer.WriteField(field.Utf8);
        }
        else
        {
            writer.WriteField(text);
        }
    }

    private static void WriteBase64(CsvWriter writer, ReadOnlySpan<byte> payload)
    {
        var length = System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(payload.Length);
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            System.Buffers.Text.Base64.EncodeToUtf8(payload, rented, out _, out var written);
            writer.WriteField(rented.AsSpan(0, written));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

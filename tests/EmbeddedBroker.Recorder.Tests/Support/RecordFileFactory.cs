using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Formats;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>One output file of a format, told by its extension, written through a test's positional write.</summary>
internal static class RecordFileFactory
{
    public static RecordFile For(string extension, string basePath, PositionalWrite? write = null, bool directWrites = false) =>
        new(FormatFor(extension), basePath, directWrites, NullLogger.Instance, write);

    public static IRecordFormat FormatFor(string extension) => extension switch
    {
        ".csv" => new CsvRecordFormat(escapeFormulas: false, NullLogger.Instance),
        ".json" => new JsonArrayRecordFormat(NullLogger.Instance),
        ".jsonl" => new JsonLinesRecordFormat(NullLogger.Instance),
        _ => throw new ArgumentOutOfRangeException(nameof(extension), extension, "not a recorder format"),
    };
}

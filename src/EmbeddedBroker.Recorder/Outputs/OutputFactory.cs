using EmbeddedBroker.Recorder.Database.Postgres;
using EmbeddedBroker.Recorder.Database.Sqlite;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Formats;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Outputs;

/// <summary>The outputs Recorder:Format asks for: files beside Recorder:Output, the SQLite database (Output + ".db"), PostgreSQL.</summary>
internal static class OutputFactory
{
    public const string SqliteExtension = ".db";

    public static string SqlitePath(RecorderOptions options) => Path.GetFullPath(options.Output) + SqliteExtension;

    public static RecordFile[] Files(RecorderOptions options, RecordFormats formats, ILogger logger)
    {
        var basePath = Path.GetFullPath(options.Output);
        return [.. FormatsOf(formats, options, logger).Select(format => new RecordFile(format, basePath, options.DirectWrites, logger))];
    }

    public static IRecordOutput[] Databases(RecorderOptions options, RecordFormats formats)
    {
        var databases = new List<IRecordOutput>();
        if (formats.HasFlag(RecordFormats.Sqlite))
        {
            databases.Add(new SqliteRecordOutput(SqlitePath(options)));
        }

        if (formats.HasFlag(RecordFormats.Postgres))
        {
            databases.Add(new PostgresRecordOutput(options.Postgres ?? new PostgresRecorderOptions()));
        }

        return [.. databases];
    }

    private static IEnumerable<IRecordFormat> FormatsOf(RecordFormats formats, RecorderOptions options, ILogger logger)
    {
        if (formats.HasFlag(RecordFormats.Csv))
        {
            yield return new CsvRecordFormat(options.CsvEscapeFormulas, logger);
        }

        if (formats.HasFlag(RecordFormats.Json))
        {
            yield return new JsonArrayRecordFormat(logger);
        }

        if (formats.HasFlag(RecordFormats.JsonLines))
        {
            yield return new JsonLinesRecordFormat(logger);
        }
    }
}

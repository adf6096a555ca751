namespace EmbeddedBroker.Recorder.Options;

/// <summary>The files and databases the recorder writes; parsed from <see cref="RecorderOptions.Format"/>.</summary>
[Flags]
public enum RecordFormats
{
    None = 0,
    Csv = 1,
    Json = 2,
    JsonLines = 4,
    Both = Csv | Json,

    /// <summary>An SQLite database beside the files (Output + ".db").</summary>
    Sqlite = 8,

    /// <summary>A PostgreSQL (or TimescaleDB) server (Recorder:Postgres:ConnectionString).</summary>
    Postgres = 16,

    /// <summary>The formats kept in a database, which the history API can query.</summary>
    Databases = Sqlite | Postgres,
}

public static class RecordFormatParser
{
    /// <summary>What <see cref="RecorderOptions.Format"/> accepts, for error messages.</summary>
    public const string Accepted = "csv, json, jsonl, sqlite, postgres or both (csv + json), or a comma list such as csv,json,sqlite";

    /// <summary>Parses "csv", "json", "jsonl", "sqlite", "postgres", "both" or a comma list of them (case-insensitive).</summary>
    public static bool TryParse(string? text, out RecordFormats formats)
    {
        formats = RecordFormats.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "csv": formats |= RecordFormats.Csv; break;
                case "json": formats |= RecordFormats.Json; break;
                case "jsonl": formats |= RecordFormats.JsonLines; break;
                case "both": formats |= RecordFormats.Both; break;
                case "sqlite": formats |= RecordFormats.Sqlite; break;
                case "postgres" or "postgresql": formats |= RecordFormats.Postgres; break;
                default: formats = RecordFormats.None; return false;
            }
        }

        return formats != RecordFormats.None;
    }
}

namespace EmbeddedBroker.Replay;

/// <summary>Opens a recording by its extension: .csv, .json, .jsonl (each possibly .gz) or .db.</summary>
internal static class ReplaySources
{
    public const string Accepted = ".csv, .json, .jsonl (or the same with .gz) or .db (the recorder's SQLite database)";

    public static IReplaySource Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new ReplaySourceException($"{path}: no such file.");
        }

        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".csv" => new CsvReplaySource(path),
            ".json" => new JsonReplaySource(path, lines: false),
            ".jsonl" => new JsonReplaySource(path, lines: true),
            ".db" when !ReferenceEquals(name, path) => throw new ReplaySourceException($"{path}: a gzipped database cannot be read; gunzip it first."),
            ".db" or ".sqlite" => new SqliteReplaySource(path),
            _ => throw new ReplaySourceException($"{path}: not a recording; use {Accepted}."),
        };
    }
}

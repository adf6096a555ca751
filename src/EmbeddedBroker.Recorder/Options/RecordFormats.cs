namespace EmbeddedBroker.Recorder.Options;

/// <summary>The files the recorder writes; parsed from <see cref="RecorderOptions.Format"/>.</summary>
[Flags]
public enum RecordFormats
{
    None = 0,
    Csv = 1,
    Json = 2,
    JsonLines = 4,
    Both = Csv | Json,
}

public static class RecordFormatParser
{
    /// <summary>Parses "csv", "json", "jsonl", "both" or a comma list of them (case-insensitive).</summary>
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
                default: formats = RecordFormats.None; return false;
            }
        }

        return formats != RecordFormats.None;
    }
}

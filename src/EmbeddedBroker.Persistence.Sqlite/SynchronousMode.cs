namespace EmbeddedBroker.Persistence.Sqlite;

/// <summary>The two SQLite <c>synchronous</c> settings the store offers (WAL mode makes "normal" crash-safe).</summary>
internal static class SynchronousMode
{
    /// <summary>The PRAGMA value for <paramref name="text"/> ("normal" or "full", any case).</summary>
    public static bool TryParse(string? text, out string pragmaValue)
    {
        pragmaValue = text?.Trim().ToUpperInvariant() switch
        {
            "NORMAL" => "NORMAL",
            "FULL" => "FULL",
            _ => "",
        };
        return pragmaValue.Length > 0;
    }
}

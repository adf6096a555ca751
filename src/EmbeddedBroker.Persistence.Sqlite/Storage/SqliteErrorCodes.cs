namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>The SQLite primary result codes the store tells apart (https://sqlite.org/rescode.html).</summary>
internal static class SqliteErrorCodes
{
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int TooBig = 18;
    public const int Constraint = 19;
    public const int Mismatch = 20;
    public const int Format = 24;
    public const int Range = 25;
    public const int NotADatabase = 26;
}

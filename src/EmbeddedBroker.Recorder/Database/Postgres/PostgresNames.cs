using System.Text.RegularExpressions;

namespace EmbeddedBroker.Recorder.Database.Postgres;

/// <summary>
/// Table names from the configuration go into SQL text (identifiers cannot be parameters), so only plain identifiers
/// are accepted: letters, digits and '_', at most 63 characters (PostgreSQL's limit), optionally schema-qualified.
/// They are used unquoted, so PostgreSQL folds them to lower case everywhere alike.
/// </summary>
internal static partial class PostgresNames
{
    public static bool IsValidTableName(string? name) => name is not null && TableName().IsMatch(name);

    /// <summary>The name without its schema, for naming indexes after the table.</summary>
    public static string Unqualified(string table) => table[(table.LastIndexOf('.') + 1)..];

    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex TableName();
}

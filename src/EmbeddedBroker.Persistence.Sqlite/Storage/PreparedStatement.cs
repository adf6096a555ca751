using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// One SQL statement compiled once per connection and executed for every row of every batch: only the parameter
/// values change. (Microsoft.Data.Sqlite keeps the compiled statement as long as the command text stays the same.)
/// </summary>
internal sealed class PreparedStatement(SqliteConnection connection, string sql) : IDisposable
{
    private readonly SqliteCommand command = CreateCommand(connection, sql);

    public SqliteParameter Add(string name, SqliteType type) => command.Parameters.Add(name, type);

    public void Prepare() => command.Prepare();

    public void Enlist(SqliteTransaction? transaction) => command.Transaction = transaction;

    public int Execute() => command.ExecuteNonQuery();

    public void Dispose() => command.Dispose();

    private static SqliteCommand CreateCommand(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}

internal static class SqliteParameterExtensions
{
    /// <summary>Binds a value or SQL NULL.</summary>
    public static void Set(this SqliteParameter parameter, object? value) => parameter.Value = value ?? DBNull.Value;

    /// <summary>Binds bytes without copying when they are a whole array from its start (Size limits what is bound).</summary>
    public static void SetBytes(this SqliteParameter parameter, ReadOnlyMemory<byte> bytes)
    {
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Array is { } array)
        {
            parameter.Value = array;
        }
        else
        {
            parameter.Value = bytes.ToArray();
        }
        parameter.Size = bytes.Length;
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>A recorded row read back with plain SQL (not the recorder's own history reader).</summary>
internal sealed record DatabaseRow(long Id, string Timestamp, string Topic, byte[] Payload, int Qos, bool Retain, string? ClientId, string Source)
{
    public RecordedMessage Message => new(Topic, Convert.ToBase64String(Payload), Qos, Retain, ClientId);
}

internal static class DatabaseRows
{
    public static List<DatabaseRow> ReadSqlite(string path, string where = "")
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, timestamp, topic, payload, qos, retain, client_id, source FROM messages " + where + " ORDER BY id";
        using var reader = command.ExecuteReader();
        return Read(reader);
    }

    public static long Count(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    public static List<DatabaseRow> Read(DbDataReader reader)
    {
        var rows = new List<DatabaseRow>();
        while (reader.Read())
        {
            rows.Add(new DatabaseRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
                Convert.ToInt32(reader.GetValue(4)), Convert.ToBoolean(reader.GetValue(5)), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
        }

        return rows;
    }
}

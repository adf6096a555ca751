using System.Text.Json;

namespace EmbeddedBroker.Integration.Tests.Recording;

/// <summary>The recorder's databases read by programs nobody here wrote: Python's sqlite3 module, and psql.</summary>
internal static class DatabaseReaders
{
    private static readonly string SqliteReader = Path.Combine(AppContext.BaseDirectory, "Scripts", "read_sqlite.py");

    public static async Task<List<RecordedMessage>> ReadSqliteWithPythonAsync(string database)
    {
        var (code, output, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), ThirdPartyTools.Python, SqliteReader, database);
        Assert.That(code, Is.Zero, $"Python's sqlite3 could not read {database}: {error}");
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(r =>
            new RecordedMessage(r[1].GetString()!, r[2].GetString()!, r[3].GetInt32(), r[4].GetBoolean(), r[5].ValueKind == JsonValueKind.Null ? null : r[5].GetString()))];
    }

    public static async Task<List<RecordedMessage>> ReadPostgresWithPsqlAsync(PostgresCluster cluster, string table = "mqtt_messages")
    {
        // One line per record, fields separated by a tab (payloads are base64 without line breaks; topics and ids have no tab).
        var output = await cluster.PsqlAsync(
            $"SELECT topic, translate(encode(payload, 'base64'), E'\\n', ''), qos, retain, coalesce(client_id, '') FROM {table} ORDER BY id", "\t");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var f = line.Split('\t');
            return new RecordedMessage(f[0], f[1], int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3] == "t", f[4].Length == 0 ? null : f[4]);
        })];
    }
}

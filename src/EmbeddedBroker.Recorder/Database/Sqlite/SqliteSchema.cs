using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Recorder.Database.Sqlite;

/// <summary>
/// The tables of <c>mqtt_data.db</c>. <c>messages</c> has the fields of the CSV/JSON files (timestamp as the same ISO 8601
/// text, which sorts as it reads; the payload as a BLOB of the exact bytes, so no payload_encoding is needed) and the
/// MQTT 5 publication properties; <c>deliveries</c> has the delivery receipts. The schema version is
/// <c>PRAGMA user_version</c>: a later version adds columns with ALTER TABLE ... ADD COLUMN in <see cref="Migrations"/>,
/// so a database written by an older recorder is upgraded in place, never rewritten.
/// </summary>
internal static class SqliteSchema
{
    public const string Messages = "messages";
    public const string Deliveries = "deliveries";

    public const string InsertMessage =
        "INSERT INTO messages (timestamp, topic, payload, qos, retain, client_id, source, content_type, payload_format, response_topic, "
        + "correlation_data, message_expiry, user_properties) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

    public const string InsertDelivery =
        "INSERT INTO deliveries (timestamp, client_id, topic, qos, publisher_client_id, message_timestamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    /// <summary>Index i creates version i + 1 (later versions: ALTER TABLE ... ADD COLUMN, run once).</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY,
            timestamp TEXT NOT NULL,
            topic TEXT NOT NULL,
            payload BLOB NOT NULL,
            qos INTEGER NOT NULL,
            retain INTEGER NOT NULL,
            client_id TEXT,
            source TEXT NOT NULL,
            content_type TEXT,
            payload_format INTEGER,
            response_topic TEXT,
            correlation_data BLOB,
            message_expiry INTEGER,
            user_properties TEXT
        );
        CREATE INDEX IF NOT EXISTS messages_timestamp ON messages (timestamp);
        CREATE INDEX IF NOT EXISTS messages_topic ON messages (topic, id);
        CREATE TABLE IF NOT EXISTS deliveries (
            id INTEGER PRIMARY KEY,
            timestamp TEXT NOT NULL,
            client_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            qos INTEGER NOT NULL,
            publisher_client_id TEXT,
            message_timestamp TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS deliveries_timestamp ON deliveries (timestamp);
        CREATE INDEX IF NOT EXISTS deliveries_client ON deliveries (client_id, id);
        """,
    ];

    /// <summary>WAL (readers never block the writer, a commit survives a process crash), NORMAL sync (no fsync per commit,
    /// the files' promise too), a 64 MiB page cache, then the tables up to the current version.</summary>
    public static void Prepare(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;");
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        var current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        // Version 1 is all CREATE ... IF NOT EXISTS: run it always, so tables someone dropped come back.
        for (var next = Math.Min(current, 0); next < Migrations.Length; next++)
        {
            using var transaction = connection.BeginTransaction();
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[next] + $"; PRAGMA user_version = {next + 1};";
            migrate.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

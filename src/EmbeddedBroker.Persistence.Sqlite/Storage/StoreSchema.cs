using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// The tables of the store and their versions. <c>schema_version</c> holds the version the file is at; a newer broker
/// adds a step to <see cref="Steps"/> and older files are brought forward in one transaction when opened. A file
/// from a newer broker, or one that is a SQLite database but not a broker store, is rejected (and moved aside).
/// </summary>
internal static class StoreSchema
{
    /// <summary>The steps in order; the file's version is the number of steps applied.</summary>
    private static readonly string[] Steps = [Version1];

    public static int CurrentVersion => Steps.Length;

    private const string Version1 = $"""
        CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);
        -- last_alive: the time of the last commit (StoreTime units); sessions stored while online are loaded as
        -- disconnected then, so time spent stopped counts towards their expiry.
        CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE retained (id INTEGER PRIMARY KEY, {MessageColumnsPlaceholder});
        CREATE UNIQUE INDEX retained_by_topic ON retained (topic);
        CREATE TABLE sessions (
            client_id TEXT PRIMARY KEY, expiry_interval INTEGER NOT NULL, disconnected_at INTEGER, username TEXT
        ) WITHOUT ROWID;
        CREATE TABLE subscriptions (
            client_id TEXT NOT NULL, topic_filter TEXT NOT NULL, maximum_qos INTEGER NOT NULL, no_local INTEGER NOT NULL,
            retain_as_published INTEGER NOT NULL, retain_handling INTEGER NOT NULL, subscription_identifier INTEGER,
            PRIMARY KEY (client_id, topic_filter)
        ) WITHOUT ROWID;
        -- A message queued for several sessions is stored once per batch and shared by their deliveries; the
        -- triggers below delete it with its last delivery.
        CREATE TABLE messages (id INTEGER PRIMARY KEY, {MessageColumnsPlaceholder});
        CREATE TABLE deliveries (
            client_id TEXT NOT NULL, sequence INTEGER NOT NULL, message_id INTEGER NOT NULL, qos INTEGER NOT NULL,
            retain INTEGER NOT NULL, packet_id INTEGER NOT NULL, state INTEGER NOT NULL,
            PRIMARY KEY (client_id, sequence)
        ) WITHOUT ROWID;
        CREATE INDEX deliveries_by_message ON deliveries (message_id);
        CREATE TRIGGER deliveries_release_message AFTER DELETE ON deliveries
        BEGIN
            DELETE FROM messages WHERE id = OLD.message_id
                AND NOT EXISTS (SELECT 1 FROM deliveries WHERE message_id = OLD.message_id);
        END;
        CREATE TRIGGER deliveries_replace_message AFTER UPDATE OF message_id ON deliveries
            WHEN OLD.message_id <> NEW.message_id
        BEGIN
            DELETE FROM messages WHERE id = OLD.message_id
                AND NOT EXISTS (SELECT 1 FROM deliveries WHERE message_id = OLD.message_id);
        END;
        CREATE TABLE incoming_qos2 (
            client_id TEXT NOT NULL, packet_id INTEGER NOT NULL, PRIMARY KEY (client_id, packet_id)
        ) WITHOUT ROWID;
        CREATE TABLE wills (
            id INTEGER PRIMARY KEY, client_id TEXT NOT NULL UNIQUE, due_at INTEGER NOT NULL, will_username TEXT,
            {MessageColumnsPlaceholder}
        );
        """;

    private const string MessageColumnsPlaceholder = "@message_columns@";

    /// <summary>Brings the file to <see cref="CurrentVersion"/>; true when it was empty and the tables were created.</summary>
    public static bool Upgrade(SqliteConnection connection, DateTimeOffset now)
    {
        var version = ReadVersion(connection);
        if (version == CurrentVersion)
        {
            return false;
        }
        using var transaction = connection.BeginTransaction();
        for (var step = version; step < CurrentVersion; step++)
        {
            Execute(connection, transaction, Steps[step].Replace(MessageColumnsPlaceholder, MessageColumns.Definitions, StringComparison.Ordinal));
        }
        Execute(connection, transaction, $"DELETE FROM schema_version; INSERT INTO schema_version VALUES ({CurrentVersion}, {StoreTime.ToStored(now)});");
        transaction.Commit();
        return version == 0;
    }

    /// <summary>0 for an empty file; throws <see cref="StoreRejectedException"/> for a database that is not a store.</summary>
    public static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), sum(name = 'schema_version') FROM sqlite_schema WHERE type = 'table'";
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            if (reader.GetInt64(0) == 0)
            {
                return 0;
            }
            if (reader.IsDBNull(1) || reader.GetInt64(1) == 0)
            {
                throw new StoreRejectedException("it is a SQLite database but not a broker store (no schema_version table)", "damaged");
            }
        }
        command.CommandText = "SELECT max(version) FROM schema_version";
        var version = command.ExecuteScalar() is long stored ? (int)stored : throw new StoreRejectedException("its schema_version table is empty", "damaged");
        if (version > CurrentVersion)
        {
            throw new StoreRejectedException(
                $"its schema version {version} is newer than this broker's ({CurrentVersion}): it was written by a newer EmbeddedBroker", "newer");
        }
        return version;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// Opens the store file: WAL journal, the configured synchronous mode, an integrity check at start, schema upgrade.
/// A file SQLite refuses (not a database, malformed) or that fails <c>PRAGMA quick_check</c> is moved aside with a
/// UTC timestamp in its name, with its -wal and -shm files, and a new empty store is created in its place, so that
/// the broker always starts. Errors of the environment (no permission, full disk) are not damage: they propagate and
/// the writer retries.
/// </summary>
internal sealed class StoreFile(string path, string synchronousPragma, ILogger logger, TimeProvider time)
{
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    public string FullPath { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>
    /// Opens at start and reads the file with <paramref name="load"/>. A file that is damaged (refused by SQLite, failing
    /// its check, not a store, or with rows that cannot be read) is moved aside (<paramref name="movedAside"/> gets its
    /// new path) and an empty store is created: <paramref name="state"/> is then what <paramref name="load"/> reads from it.
    /// </summary>
    public OpenedStore OpenAtStart<T>(Func<OpenedStore, T> load, out T state, out string? movedAside)
    {
        movedAside = null;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FullPath)!);
        OpenedStore? opened = null;
        try
        {
            opened = Open(checkIntegrity: true);
            state = load(opened);
            return opened;
        }
        catch (Exception error) when (IsDamage(error, out var label))
        {
            opened?.Dispose();
            movedAside = MoveAside(label);
            logger.LogWarning("Store {Path} cannot be used ({Reason}): moved it aside to {MovedTo} and started with an empty store",
                FullPath, error.Message, movedAside);
            opened = Open(checkIntegrity: false);
            state = load(opened);
            return opened;
        }
    }

    /// <summary>
    /// Opens a file that could not be opened (or loaded) at start: whatever it holds was never loaded into the broker,
    /// so writing the broker's changes into it would mix two states. It is moved aside as "unloaded" and a new store
    /// is created.
    /// </summary>
    public OpenedStore OpenLate()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FullPath)!);
        if (File.Exists(FullPath) && new FileInfo(FullPath).Length > 0)
        {
            var movedTo = MoveAside("unloaded");
            logger.LogWarning("Store {Path} opened only after start; its content was never loaded: moved it aside to {MovedTo} and started a new store",
                FullPath, movedTo);
        }
        return Open(checkIntegrity: false);
    }

    /// <summary>Opens again after a write failure (no integrity check: the file was checked at start).</summary>
    public OpenedStore Reopen() => Open(checkIntegrity: false);

    /// <summary>A second connection for reading at start, beside the writer's.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadOnly));
        connection.Open();
        return connection;
    }

    private OpenedStore Open(bool checkIntegrity)
    {
        if (checkIntegrity)
        {
            Check();
        }
        var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            var journal = Scalar(connection, "PRAGMA journal_mode = WAL") as string;
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"SQLite could not switch {FullPath} to WAL mode (journal_mode is {journal}).");
            }
            Scalar(connection, $"PRAGMA synchronous = {synchronousPragma}");
            // After a checkpoint the WAL file is cut back to this size instead of keeping its largest size.
            Scalar(connection, "PRAGMA journal_size_limit = 67108864");
            var created = StoreSchema.Upgrade(connection, time.GetUtcNow());
            var lastAlive = Scalar(connection, "SELECT value FROM store_meta WHERE key = 'last_alive'") is long alive ? StoreTime.FromStored(alive) : (DateTimeOffset?)null;
            var lastMessageId = (long)Scalar(connection, "SELECT coalesce(max(id), 0) FROM messages")!;
            return new OpenedStore(connection, lastAlive, lastMessageId, created);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The checks at start, on a read-only connection so that a file found damaged is moved aside as it was: a
    /// read-write connection would switch a foreign database to WAL and, on closing, delete a -wal it could not use.
    /// </summary>
    private void Check()
    {
        if (!File.Exists(FullPath) || new FileInfo(FullPath).Length == 0)
        {
            return;
        }
        using var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadOnly));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(5)";
        var problems = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
        }
        if (problems is not ["ok"])
        {
            throw new StoreRejectedException("PRAGMA quick_check: " + string.Join("; ", problems), "damaged");
        }
        StoreSchema.ReadVersion(connection);
    }

    /// <summary>Renames the file and its companions to "name.LABEL-yyyyMMddTHHmmssZ" (plus "-wal", "-shm"), so the
    /// moved file still opens in sqlite3 with its own log.</summary>
    private string MoveAside(string label)
    {
        SqliteConnection.ClearAllPools();
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{FullPath}.{label}-{stamp}";
        for (var n = 2; File.Exists(target); n++)
        {
            target = $"{FullPath}.{label}-{stamp}-{n}";
        }
        if (File.Exists(FullPath))
        {
            File.Move(FullPath, target);
        }
        foreach (var suffix in CompanionSuffixes)
        {
            if (File.Exists(FullPath + suffix))
            {
                File.Move(FullPath + suffix, target + suffix);
            }
        }
        return target;
    }

    private static bool IsDamage(Exception error, out string label)
    {
        label = error is StoreRejectedException rejected ? rejected.Label : "damaged";
        // Rows SQLite reads but the store cannot make sense of (a bad user_properties text, a wrong type) are damage too.
        return error is StoreRejectedException or System.Text.Json.JsonException or InvalidCastException or FormatException or OverflowException ||
            error is SqliteException { SqliteErrorCode: SqliteErrorCodes.Corrupt or SqliteErrorCodes.NotADatabase or SqliteErrorCodes.Format };
    }

    private string ConnectionString(SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = FullPath,
        Mode = mode,
        // One long-lived connection per use; pooling would keep the file open after a move aside.
        Pooling = false,
    }.ToString();

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Tests.Support;

/// <summary>
/// A temporary folder for one test's store files, and the stores opened on it (disposed, then the folder deleted,
/// when the test ends).
/// </summary>
internal sealed class StoreFolder : IAsyncDisposable
{
    private readonly List<SqliteBrokerStore> stores = [];

    private readonly bool ownsDirectory;

    /// <summary>A new temporary folder, or the files in <paramref name="directory"/> (a mount point: its owner removes it).</summary>
    public StoreFolder(string? directory = null)
    {
        ownsDirectory = directory is null;
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("eb-persistence-").FullName;
        Path = System.IO.Path.Combine(Directory, "broker.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public ListLogger Log { get; } = new();

    /// <summary>Options with a fast flush so that tests do not wait.</summary>
    public static PersistenceOptions Fast { get; } = new() { FlushInterval = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(200) };

    /// <summary>A store on <see cref="Path"/> (whatever path <paramref name="options"/> give).</summary>
    public SqliteBrokerStore Open(PersistenceOptions? options = null) => OpenAt(Path, options);

    /// <summary>A store on <paramref name="path"/>, disposed with the folder.</summary>
    public SqliteBrokerStore OpenAt(string path, PersistenceOptions? options = null)
    {
        var store = new SqliteBrokerStore((options ?? Fast) with { Path = path }, new PersistenceStatistics(), Log, TimeProvider.System);
        stores.Add(store);
        return store;
    }

    /// <summary>Writes through a first store, disposes it (graceful stop), and loads with a second one.</summary>
    public async Task<StoredBrokerState> RoundTripAsync(Action<SqliteBrokerStore> write)
    {
        var writer = Open();
        await writer.LoadAsync(CancellationToken.None);
        write(writer);
        await writer.DisposeAsync();
        var reader = Open();
        return await reader.LoadAsync(CancellationToken.None);
    }

    /// <summary>A figure read straight from the file with a separate connection (what a commit left there).</summary>
    public long Count(string sql) => (long)OnFile(sql, SqliteOpenMode.ReadOnly, command => command.ExecuteScalar())!;

    /// <summary>Changes the file behind the store's back (to damage it).</summary>
    public void Execute(string sql) => OnFile(sql, SqliteOpenMode.ReadWriteCreate, command => command.ExecuteNonQuery());

    private object? OnFile(string sql, SqliteOpenMode mode, Func<SqliteCommand, object?> run)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return run(command);
    }

    /// <summary>Retries <see cref="SqliteBrokerStore.FlushedAsync"/> until it completes (the store writes again) or
    /// <paramref name="timeout"/> passes; false on timeout.</summary>
    public static async Task<bool> FlushSucceedsWithinAsync(SqliteBrokerStore store, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await store.FlushedAsync().WaitAsync(timeout);
                return true;
            }
            catch (StoreNotDurableException)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }

    public string[] MovedAsideFiles(string label) =>
        System.IO.Directory.GetFiles(Directory, $"broker.db.{label}-*").Select(System.IO.Path.GetFileName).ToArray()!;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
        if (ownsDirectory && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        else if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.GetFiles(Directory)) File.Delete(file);
        }
    }
}

using System.Diagnostics;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Persistence.Sqlite.Changes;
using EmbeddedBroker.Persistence.Sqlite.Loading;
using EmbeddedBroker.Persistence.Sqlite.Storage;
using EmbeddedBroker.Persistence.Sqlite.Writing;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Persistence.Sqlite;

/// <summary>
/// The broker's state store on SQLite (WAL). The change methods only queue a small record (lock-free, bounded in count
/// and bytes) and return; one background thread coalesces and commits them in batches (see <see cref="StoreWriter"/>).
/// <para>
/// Life cycle: the file is opened, checked (a damaged one is moved aside), loaded and the writer started by the first
/// of <see cref="LoadAsync"/> or <see cref="StartAsync"/>. <see cref="StopAsync"/> commits everything handed over so far
/// and the store keeps accepting changes (the engine may save sessions while it shuts down); <see cref="DisposeAsync"/>
/// commits the rest, checkpoints and closes the file. Changes handed over after that are dropped and counted.
/// </para>
/// </summary>
public sealed class SqliteBrokerStore : IBrokerStore, IHostedService, IAsyncDisposable, IDisposable
{
    /// <summary>How long disposing keeps retrying a failing disk before it gives the pending changes up (counted).</summary>
    private static readonly TimeSpan FinalWriteDeadline = TimeSpan.FromSeconds(3);

    private readonly PersistenceStatistics statistics;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly StoreFile file;
    private readonly ChangeBuffer buffer;
    private readonly StoreWriter writer;
    private readonly Lock startLock = new();
    private Task<StoredBrokerState?>? starting;
    private int loadedOnce;
    private int refusedAfterClose;
    private int disposed;

    /// <inheritdoc />
    public bool DurableAcknowledgements { get; }

    public SqliteBrokerStore(IOptions<PersistenceOptions> options, PersistenceStatistics statistics, ILogger<SqliteBrokerStore> logger)
        : this(options.Value, statistics, logger, TimeProvider.System)
    {
    }

    internal SqliteBrokerStore(PersistenceOptions options, PersistenceStatistics statistics, ILogger logger, TimeProvider time)
    {
        this.statistics = statistics;
        this.logger = logger;
        this.time = time;
        DurableAcknowledgements = options.DurableAcknowledgements;
        if (!SynchronousMode.TryParse(options.Synchronous, out var synchronous))
        {
            var failures = new PersistenceOptionsValidator().Validate(null, options).Failures ?? [];
            throw new OptionsValidationException(PersistenceOptions.SectionName, typeof(PersistenceOptions), failures);
        }
        file = new StoreFile(options.Path, synchronous, logger, time);
        buffer = new ChangeBuffer(options.MaximumPendingChanges, options.MaximumPendingBytes, Wake, OnDropped);
        writer = new StoreWriter(file, buffer, options, statistics, logger, time);
        statistics.Enabled = true;
        statistics.Path = file.FullPath;
        statistics.AttachPending(() => buffer.Changes, () => buffer.Bytes);
    }

    public PersistenceStatistics Statistics => statistics;

    /// <summary>
    /// Optional, set by the engine when it wires the store: returns the engine's whole persistent state (as
    /// <see cref="LoadAsync"/> would give it back). Called on the writer thread after changes had to be dropped, to
    /// rewrite the file; it must read each session under the lock its changes are handed over under, and the engine
    /// must change its memory before handing a change over. Without it a store that dropped changes stays degraded
    /// until restart.
    /// </summary>
    public Func<StoredBrokerState>? SnapshotSource
    {
        get => writer.SnapshotSource;
        set => writer.SnapshotSource = value;
    }

    /// <summary>The state at start (first call), read once while the file is opened and checked; later calls read the
    /// file again. Empty when the file was damaged (moved aside) or cannot be opened (the store then retries in the background).</summary>
    public async Task<StoredBrokerState> LoadAsync(CancellationToken cancellationToken)
    {
        var atStart = await EnsureStarted().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref loadedOnce, 1) == 0)
        {
            return atStart ?? StoredBrokerState.Empty;
        }
        return await Task.Run(() =>
        {
            using var connection = file.OpenReader();
            return new StateLoader(connection, statistics.LastCommitAt ?? time.GetUtcNow()).Load(cancellationToken);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the store and starts the writer (if <see cref="LoadAsync"/> has not already).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => EnsureStarted().WaitAsync(cancellationToken);

    /// <summary>Commits everything handed over so far, retrying a failing disk until <paramref name="cancellationToken"/> fires.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (starting is null)
        {
            return;
        }
        while (!cancellationToken.IsCancellationRequested && !buffer.IsClosed)
        {
            try
            {
                await FlushedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StoreNotDurableException) when (statistics.Degraded)
            {
                return;
            }
            catch (StoreNotDurableException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        buffer.Close();
        if (starting is not null)
        {
            // A start that failed has said why (LoadAsync threw); disposing must still stop what did start.
            await ((Task)starting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await writer.StopAsync(FinalWriteDeadline).ConfigureAwait(false);
        }
        writer.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public void SetRetained(MqttApplicationMessage message) => Enqueue(StoreChange.SetRetained(message));

    public void ClearRetained(string topic) => Enqueue(StoreChange.ClearRetained(topic));

    public void SaveSession(StoredSession session) => Enqueue(StoreChange.SaveSession(session));

    public void DeleteSession(string clientId) => Enqueue(StoreChange.DeleteSession(clientId));

    public void SaveSubscription(string clientId, MqttTopicSubscription subscription) => Enqueue(StoreChange.SaveSubscription(clientId, subscription));

    public void DeleteSubscription(string clientId, string topicFilter) => Enqueue(StoreChange.DeleteSubscription(clientId, topicFilter));

    public void SaveDelivery(string clientId, StoredDelivery delivery) => Enqueue(StoreChange.SaveDelivery(clientId, delivery));

    public void UpdateDelivery(string clientId, long sequence, ushort packetId, StoredDeliveryState state) =>
        Enqueue(StoreChange.UpdateDelivery(clientId, sequence, packetId, state));

    public void DeleteDelivery(string clientId, long sequence) => Enqueue(StoreChange.DeleteDelivery(clientId, sequence));

    public void SaveIncomingQos2(string clientId, ushort packetId) => Enqueue(StoreChange.SaveIncomingQos2(clientId, packetId));

    public void DeleteIncomingQos2(string clientId, ushort packetId) => Enqueue(StoreChange.DeleteIncomingQos2(clientId, packetId));

    public void SaveWill(string clientId, StoredWill will) => Enqueue(StoreChange.SaveWill(clientId, will));

    public void DeleteWill(string clientId) => Enqueue(StoreChange.DeleteWill(clientId));

    /// <summary>Completes once every change handed over before this call is committed; faults with
    /// <see cref="StoreNotDurableException"/> when the write fails (it is retried, but this waiter is answered at once),
    /// when changes were dropped and not yet repaired, or when the store is closed or full.</summary>
    public Task FlushedAsync()
    {
        var barrier = new FlushBarrier(statistics.DroppedChanges);
        if (!buffer.TryAdd(StoreChange.Barrier(barrier)))
        {
            return Task.FromException(new StoreNotDurableException(buffer.IsClosed
                ? "The broker store is closed."
                : "The broker store's pending buffer is full: the disk cannot keep up or is failing."));
        }
        writer.Wake();
        return barrier.Task;
    }

    private void Enqueue(in StoreChange change)
    {
        if (!buffer.TryAdd(change) && buffer.IsClosed)
        {
            // Late changes (after disposal) are lost: counted, and said once.
            statistics.AddDropped(1);
            if (Interlocked.Exchange(ref refusedAfterClose, 1) == 0)
            {
                logger.LogWarning("Store {Path}: a change was handed over after the store closed and is lost (stop the store after the broker)", file.FullPath);
            }
        }
    }

    private void Wake() => writer.Wake();

    private void OnDropped()
    {
        statistics.AddDropped(1);
        statistics.SetDegraded(true);
    }

    private Task<StoredBrokerState?> EnsureStarted()
    {
        lock (startLock)
        {
            return starting ??= Task.Run(Start);
        }
    }

    /// <summary>Opens, checks and loads the file, then starts the writer (also when the file cannot be opened: the
    /// writer then retries, and the broker runs from memory meanwhile).</summary>
    private StoredBrokerState? Start()
    {
        var started = Stopwatch.GetTimestamp();
        OpenedStore? opened = null;
        StoredBrokerState? state = null;
        try
        {
            opened = file.OpenAtStart(o => new StateLoader(o.Connection, o.LastAlive ?? time.GetUtcNow()).Load(CancellationToken.None),
                out var loaded, out var movedAside);
            statistics.MovedAsidePath = movedAside;
            logger.LogInformation("Store {Path}: loaded {Retained} retained messages and {Sessions} sessions ({Deliveries} queued messages) in {Duration}",
                file.FullPath, loaded.Retained.Count, loaded.Sessions.Count, loaded.Sessions.Sum(s => s.Deliveries.Count), Stopwatch.GetElapsedTime(started));
            state = loaded;
        }
        catch (Exception error) when (error is SqliteException or IOException or UnauthorizedAccessException)
        {
            statistics.AddWriteError(error, time.GetUtcNow());
            logger.LogError("Store {Path} cannot be opened ({Error}); the broker starts without its stored state and keeps retrying",
                file.FullPath, error.Message);
        }
        statistics.LoadDuration = Stopwatch.GetElapsedTime(started);
        writer.Start(opened);
        return state;
    }
}

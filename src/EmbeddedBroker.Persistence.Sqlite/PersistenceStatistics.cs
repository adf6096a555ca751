using EmbeddedBroker.Contracts.Hooks;
namespace EmbeddedBroker.Persistence.Sqlite;

/// <summary>
/// Live figures of the state store, safe to read from any thread (HTTP /api/stats, $SYS, /metrics). Registered as a
/// singleton; the store is its only writer.
/// </summary>
public sealed class PersistenceStatistics : ISysTopicSource
{
    private long commits;
    private long changesCommitted;
    private long writeErrors;
    private long droppedChanges;
    private long fileBytes;
    private long lastCommitAtTicks;
    private long lastCommitDurationTicks;
    private long resynchronisations;
    private int degraded;
    private Func<long>? pendingChanges;
    private Func<long>? pendingBytes;
    private LastError? lastError;

    /// <summary>False when the configuration turned persistence off (nothing is stored).</summary>
    public bool Enabled { get; internal set; }

    /// <summary>The store file as opened (full path).</summary>
    public string? Path { get; internal set; }

    /// <summary>Bytes on disk of the store file and its write-ahead log, as of the last commit.</summary>
    public long FileBytes => Interlocked.Read(ref fileBytes);

    /// <summary>Changes handed over and not yet committed (queued, or in the batch being written or retried).</summary>
    public long PendingChanges => pendingChanges?.Invoke() ?? 0;

    /// <summary>Estimated bytes of <see cref="PendingChanges"/> (the figure bounded by MaximumPendingBytes).</summary>
    public long PendingBytes => pendingBytes?.Invoke() ?? 0;

    /// <summary>Transactions committed since start.</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Changes handed over and made durable (including those coalesced away, e.g. a delivery saved and
    /// deleted within one batch).</summary>
    public long ChangesCommitted => Interlocked.Read(ref changesCommitted);

    /// <summary>Failed attempts to open or write the store (each retried with back-off).</summary>
    public long WriteErrors => Interlocked.Read(ref writeErrors);

    /// <summary>Changes lost: refused because the pending buffer was full, handed over after the store closed, or
    /// left unwritten when the store gave up (a write the database rejects, or a failing disk at shutdown).</summary>
    public long DroppedChanges => Interlocked.Read(ref droppedChanges);

    /// <summary>True while the file may not match the broker's state because changes were dropped; cleared when the
    /// engine's snapshot has been written over it (see <see cref="SqliteBrokerStore.SnapshotSource"/>).</summary>
    public bool Degraded => Volatile.Read(ref degraded) != 0;

    /// <summary>Times the whole state was rewritten from the engine's snapshot after changes had been dropped.</summary>
    public long Resynchronisations => Interlocked.Read(ref resynchronisations);

    /// <summary>When the last transaction committed (UTC), or null before the first.</summary>
    public DateTimeOffset? LastCommitAt => Interlocked.Read(ref lastCommitAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>How long the last commit took (building the statements, writing, syncing).</summary>
    public TimeSpan LastCommitDuration => TimeSpan.FromTicks(Interlocked.Read(ref lastCommitDurationTicks));

    /// <summary>A damaged store found at start and moved aside (its new full path), or null.</summary>
    public string? MovedAsidePath { get; internal set; }

    /// <summary>How long <c>LoadAsync</c> took at start (opening, checking, reading).</summary>
    public TimeSpan LoadDuration { get; internal set; }

    public string? LastErrorMessage => Volatile.Read(ref lastError)?.Message;

    public DateTimeOffset? LastErrorAt => Volatile.Read(ref lastError)?.At;

    internal void AttachPending(Func<long> changes, Func<long> bytes)
    {
        pendingChanges = changes;
        pendingBytes = bytes;
    }

    internal void AddCommit(long changes, DateTimeOffset at, TimeSpan duration)
    {
        Interlocked.Increment(ref commits);
        Interlocked.Add(ref changesCommitted, changes);
        Interlocked.Exchange(ref lastCommitAtTicks, at.UtcTicks);
        Interlocked.Exchange(ref lastCommitDurationTicks, duration.Ticks);
    }

    internal void SetFileBytes(long bytes) => Interlocked.Exchange(ref fileBytes, bytes);

    internal void AddWriteError(Exception error, DateTimeOffset at)
    {
        Interlocked.Increment(ref writeErrors);
        Volatile.Write(ref lastError, new LastError($"{error.GetType().Name}: {error.Message}", at));
    }

    internal void AddDropped(long count) => Interlocked.Add(ref droppedChanges, count);

    internal void SetDegraded(bool value) => Volatile.Write(ref degraded, value ? 1 : 0);

    internal void AddResynchronisation() => Interlocked.Increment(ref resynchronisations);

    private sealed record LastError(string Message, DateTimeOffset At);

    /// <summary>The store's figures under $SYS/broker/store/ (size, pending writes, commits, errors, drops).</summary>
    public void AddSysTopics(ICollection<KeyValuePair<string, string>> topics)
    {
        if (!Enabled)
        {
            return;
        }

        static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        topics.Add(new("store/bytes", Text(FileBytes)));
        topics.Add(new("store/pending changes", Text(PendingChanges)));
        topics.Add(new("store/pending bytes", Text(PendingBytes)));
        topics.Add(new("store/commits", Text(Commits)));
        topics.Add(new("store/write errors", Text(WriteErrors)));
        topics.Add(new("store/dropped changes", Text(DroppedChanges)));
    }
}

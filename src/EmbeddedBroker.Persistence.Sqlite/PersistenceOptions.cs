namespace EmbeddedBroker.Persistence.Sqlite;

/// <summary>
/// Settings of the broker's state store (retained messages, persistent sessions, queued QoS 1/2 messages), bound from
/// the configuration section "Persistence" (<see cref="SectionName"/>) and checked at start by
/// <see cref="PersistenceOptionsValidator"/>.
/// </summary>
public sealed record PersistenceOptions
{
    public const string SectionName = "Persistence";

    /// <summary>Keep the broker's state across restarts. On by default: an embedded broker is expected to keep its
    /// retained messages and persistent sessions.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The SQLite file, relative to the current directory unless rooted. Its folder is created when missing;
    /// SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it.</summary>
    public string Path { get; init; } = "data/broker.db";

    /// <summary>Longest time a change waits in memory before it is committed: the loss window of a crash or power cut.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>SQLite's <c>synchronous</c> setting: "normal" (a commit survives a crash of the broker; a power cut may
    /// lose the last commits) or "full" (every commit is on the disk before it counts, slower).</summary>
    public string Synchronous { get; init; } = "normal";

    /// <summary>Acknowledge QoS 1/2 PUBLISH (PUBACK/PUBREC) only once the message is committed. Read by the engine,
    /// which waits for <see cref="SqliteBrokerStore.FlushedAsync"/>; the store itself only commits sooner when waited for.</summary>
    public bool DurableAcknowledgements { get; init; }

    /// <summary>Changes handed over and not yet committed, at most. Beyond it (the disk is full or far too slow) new
    /// changes are dropped and counted, and the store is marked degraded.</summary>
    public int MaximumPendingChanges { get; init; } = 1_000_000;

    /// <summary>Bytes of the changes not yet committed (payloads, topics, ids), at most; same effect as
    /// <see cref="MaximumPendingChanges"/>. A message queued for N sessions counts N times: the bound errs on the safe side.</summary>
    public long MaximumPendingBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Longest pause between two attempts to write after a failure (full disk, read-only file, I/O error).
    /// The first retry comes after 100 ms and the pause doubles up to this.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Even with nothing to write the store commits its "last alive" time this often, so that after a crash
    /// the sessions that were online count as disconnected from then on (session expiry counts time spent stopped).</summary>
    public TimeSpan AliveInterval { get; init; } = TimeSpan.FromSeconds(30);
}

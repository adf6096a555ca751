namespace EmbeddedBroker.Recorder;

/// <summary>
/// Live counters of the recorder, safe to read from any thread (console UI, HTTP API, $SYS).
/// Registered as a singleton; the recorder is the only writer.
/// </summary>
public sealed class RecorderStatistics
{
    private long enqueued;
    private long recorded;
    private long dropped;
    private long writeErrors;
    private long filesRotated;
    private long deliveriesRecorded;
    private long deliveriesDropped;
    private long retentionDeleted;
    private long lastCommitTicks;
    private Func<int>? queueDepth;
    private Func<long>? queueBytes;
    private LastWriteError? lastError;
    private IReadOnlyList<string> outputs = [];

    /// <summary>Messages accepted into the recorder queue.</summary>
    public long Enqueued => Interlocked.Read(ref enqueued);

    /// <summary>Messages written to every configured file and flushed to the operating system.</summary>
    public long Recorded => Interlocked.Read(ref recorded);

    /// <summary>Messages that matched the topic filters but were not recorded (queue full, or accepted after stop).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Messages waiting in the queue right now.</summary>
    public int QueueDepth => queueDepth?.Invoke() ?? 0;

    /// <summary>Bytes the queued messages hold right now (bounded by Recorder:QueueMaxBytes).</summary>
    public long QueueBytes => queueBytes?.Invoke() ?? 0;

    /// <summary>Delivery receipts committed to the databases (Recorder:RecordDeliveries).</summary>
    public long DeliveriesRecorded => Interlocked.Read(ref deliveriesRecorded);

    /// <summary>Delivery receipts that did not fit in the queue.</summary>
    public long DeliveriesDropped => Interlocked.Read(ref deliveriesDropped);

    /// <summary>Rotated files and database rows deleted by the retention limit.</summary>
    public long RetentionDeleted => Interlocked.Read(ref retentionDeleted);

    /// <summary>When the last commit to every output succeeded (UTC), or null before the first.</summary>
    public DateTimeOffset? LastCommitAt => Interlocked.Read(ref lastCommitTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The outputs written: file paths, the SQLite database, the PostgreSQL server and table.</summary>
    public IReadOnlyList<string> Outputs => Volatile.Read(ref outputs);

    /// <summary>Failed attempts to open, write or flush a file (each retried with back-off).</summary>
    public long WriteErrors => Interlocked.Read(ref writeErrors);

    public long FilesRotated => Interlocked.Read(ref filesRotated);

    /// <summary>Message of the most recent write error, or null when none happened.</summary>
    public string? LastError => Volatile.Read(ref lastError)?.Message;

    /// <summary>When the most recent write error happened (UTC), or null.</summary>
    public DateTimeOffset? LastErrorAt => Volatile.Read(ref lastError)?.At;

    internal void AttachQueue(Func<int> depth, Func<long> bytes)
    {
        queueDepth = depth;
        queueBytes = bytes;
    }

    internal void AttachOutputs(IReadOnlyList<string> names) => Volatile.Write(ref outputs, names);

    internal void AddEnqueued() => Interlocked.Increment(ref enqueued);

    /// <summary>A commit succeeded with <paramref name="messages"/> messages and <paramref name="deliveries"/> receipts.</summary>
    internal void AddRecorded(long messages, long deliveries = 0)
    {
        Interlocked.Add(ref recorded, messages);
        Interlocked.Add(ref deliveriesRecorded, deliveries);
        Interlocked.Exchange(ref lastCommitTicks, DateTimeOffset.UtcNow.UtcTicks);
    }

    internal void AddDeliveryDropped() => Interlocked.Increment(ref deliveriesDropped);

    internal void AddRetentionDeleted(long count) => Interlocked.Add(ref retentionDeleted, count);

    internal void AddDropped() => Interlocked.Increment(ref dropped);

    internal void AddRotated() => Interlocked.Increment(ref filesRotated);

    internal void AddWriteError(Exception error)
    {
        Interlocked.Increment(ref writeErrors);
        Volatile.Write(ref lastError, new LastWriteError($"{error.GetType().Name}: {error.Message}", DateTimeOffset.UtcNow));
    }

    private sealed record LastWriteError(string Message, DateTimeOffset At);
}

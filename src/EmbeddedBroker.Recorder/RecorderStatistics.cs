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
    private Func<int>? queueDepth;
    private LastWriteError? lastError;

    /// <summary>Messages accepted into the recorder queue.</summary>
    public long Enqueued => Interlocked.Read(ref enqueued);

    /// <summary>Messages written to every configured file and flushed to the operating system.</summary>
    public long Recorded => Interlocked.Read(ref recorded);

    /// <summary>Messages that matched the topic filters but were not recorded (queue full, or accepted after stop).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Messages waiting in the queue right now.</summary>
    public int QueueDepth => queueDepth?.Invoke() ?? 0;

    /// <summary>Failed attempts to open, write or flush a file (each retried with back-off).</summary>
    public long WriteErrors => Interlocked.Read(ref writeErrors);

    public long FilesRotated => Interlocked.Read(ref filesRotated);

    /// <summary>Message of the most recent write error, or null when none happened.</summary>
    public string? LastError => Volatile.Read(ref lastError)?.Message;

    /// <summary>When the most recent write error happened (UTC), or null.</summary>
    public DateTimeOffset? LastErrorAt => Volatile.Read(ref lastError)?.At;

    internal void AttachQueue(Func<int> depth) => queueDepth = depth;

    internal void AddEnqueued() => Interlocked.Increment(ref enqueued);

    internal void AddRecorded(long count) => Interlocked.Add(ref recorded, count);

    internal void AddDropped() => Interlocked.Increment(ref dropped);

    internal void AddRotated() => Interlocked.Increment(ref filesRotated);

    internal void AddWriteError(Exception error)
    {
        Interlocked.Increment(ref writeErrors);
        Volatile.Write(ref lastError, new LastWriteError($"{error.GetType().Name}: {error.Message}", DateTimeOffset.UtcNow));
    }

    private sealed record LastWriteError(string Message, DateTimeOffset At);
}

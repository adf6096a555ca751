namespace EmbeddedBroker.Broker.Core;

/// <summary>
/// The bytes the broker holds for its clients, across all of them: messages queued and in flight for sessions, and
/// partial packets still being received. Beyond <see cref="Limit"/> (MemoryLimitBytes) the broker refuses work instead
/// of growing: new large publishes are refused, QoS 0 messages are no longer queued behind others, and a connection
/// receiving a large packet is closed. Lock-free counters; an exceeded budget is reported once per interval.
/// </summary>
internal sealed class MemoryBudget(long limit, int largeMessageBytes)
{
    private long _held;

    public long Limit { get; } = limit;

    /// <summary>A publish at least this large is "large": refused while the budget is exceeded.</summary>
    public int LargeMessageBytes { get; } = largeMessageBytes;

    public long Held => Volatile.Read(ref _held);

    public bool IsExceeded => Volatile.Read(ref _held) > Limit;

    public void Add(long bytes) => Interlocked.Add(ref _held, bytes);

    public void Release(long bytes) => Interlocked.Add(ref _held, -bytes);

    /// <summary>The default: half of what this process may use (the container's memory limit included, as the GC sees it).</summary>
    public static long DefaultLimit() => Math.Max(64L * 1024 * 1024, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}

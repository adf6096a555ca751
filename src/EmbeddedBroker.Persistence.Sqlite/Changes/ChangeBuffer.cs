using System.Collections.Concurrent;

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// The pending changes between the engine and the writer: a lock-free queue with Interlocked counters bounding
/// everything not yet committed, in count and in estimated bytes. A change stays charged while the writer holds it in
/// a batch (written, retried after a failure) and is released when committed or coalesced away, so a full disk fills
/// the bound and then changes are refused and counted instead of memory growing.
/// </summary>
internal sealed class ChangeBuffer(int maximumChanges, long maximumBytes, Action onPressure, Action onDropped)
{
    private readonly ConcurrentQueue<StoreChange> queue = new();
    private readonly long pressureBytes = maximumBytes / 2;
    private readonly int pressureChanges = maximumChanges / 2;
    private long changes;
    private long bytes;
    private int closed;

    /// <summary>Changes charged: queued plus held by the writer.</summary>
    public long Changes => Interlocked.Read(ref changes);

    public long Bytes => Interlocked.Read(ref bytes);

    public bool IsQueueEmpty => queue.IsEmpty;

    /// <summary>Set when the store closes: later changes are refused (and counted as dropped by the caller).</summary>
    public bool IsClosed => Volatile.Read(ref closed) != 0;

    /// <summary>Queues <paramref name="change"/> unless the bounds are reached or the buffer is closed. Never blocks.</summary>
    public bool TryAdd(in StoreChange change)
    {
        if (IsClosed)
        {
            return false;
        }
        var count = Interlocked.Increment(ref changes);
        var total = Interlocked.Add(ref bytes, change.Size);
        if (count > maximumChanges || total > maximumBytes)
        {
            Release(1, change.Size);
            onDropped();
            return false;
        }
        queue.Enqueue(change);
        // Wake the writer early when half the bound is used, once per crossing (not per change).
        if (count == pressureChanges || (total >= pressureBytes && total - change.Size < pressureBytes))
        {
            onPressure();
        }
        return true;
    }

    public bool TryTake(out StoreChange change) => queue.TryDequeue(out change);

    /// <summary>Gives back what committed or coalesced-away changes were charged.</summary>
    public void Release(long changeCount, long byteCount)
    {
        Interlocked.Add(ref changes, -changeCount);
        Interlocked.Add(ref bytes, -byteCount);
    }

    public void Close() => Volatile.Write(ref closed, 1);
}

using System.Threading.Channels;
using EmbeddedBroker.Recorder.Options;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// The bounded queue between the broker's publishing threads (many writers) and the recorder's writer loop (one reader).
/// <para>
/// DropNewest (the default) uses an unbounded single-reader channel, whose writes and reads are lock-free, and enforces
/// the capacity with an interlocked count. A bounded channel takes a lock for every write and every read: under a flood
/// from several publishers the writer loop then queues on that lock behind the broker's threads and falls behind.
/// DropOldest needs the channel to evict the oldest item, which only the bounded channel can do, so it keeps that one.
/// </para>
/// <para>
/// Bounded in bytes as well (Recorder:QueueMaxBytes, an interlocked sum of <see cref="QueuedMessage.Size"/>): a message
/// that would take the queue over it is dropped whatever the policy (evicting old messages until a large one fits would
/// turn one big publish into many losses).
/// </para>
/// </summary>
internal sealed class RecordQueue
{
    private readonly Channel<QueuedMessage> channel;
    private readonly bool countsItself;
    private long count;
    private long bytes;

    public RecordQueue(int capacity, long maxBytes, FullQueuePolicy policy, Action<QueuedMessage> onOldestDropped)
    {
        Capacity = capacity;
        MaxBytes = maxBytes;
        Policy = policy;
        countsItself = policy == FullQueuePolicy.DropNewest;
        channel = countsItself
            ? Channel.CreateUnbounded<QueuedMessage>(new UnboundedChannelOptions
            {
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false, // the publisher's thread must never run the writer loop
            })
            : Channel.CreateBounded<QueuedMessage>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
                FullMode = BoundedChannelFullMode.DropOldest,
            }, evicted =>
            {
                Interlocked.Add(ref bytes, -evicted.Size);
                onOldestDropped(evicted);
            });
    }

    public ChannelReader<QueuedMessage> Reader => channel.Reader;

    /// <summary>Most messages the queue holds (Recorder:QueueCapacity).</summary>
    public int Capacity { get; }

    /// <summary>Most bytes the queued messages may hold (Recorder:QueueMaxBytes).</summary>
    public long MaxBytes { get; }

    /// <summary>Bytes the queued messages hold now.</summary>
    public long Bytes => Math.Max(0, Interlocked.Read(ref bytes));

    /// <summary>What happens to a message that does not fit.</summary>
    public FullQueuePolicy Policy { get; }

    /// <summary>Messages waiting for the writer loop.</summary>
    public int Count => countsItself ? (int)Math.Max(0, Interlocked.Read(ref count)) : channel.Reader.Count;

    public bool IsCompleted => channel.Reader.Completion.IsCompleted;

    /// <summary>Never waits: false when the queue is full (DropNewest) or completed.</summary>
    public bool TryWrite(QueuedMessage item)
    {
        var size = item.Size;
        if (Interlocked.Add(ref bytes, size) > MaxBytes)
        {
            Interlocked.Add(ref bytes, -size);
            return false;
        }

        if (!countsItself)
        {
            if (channel.Writer.TryWrite(item))
            {
                return true;
            }

            Interlocked.Add(ref bytes, -size);
            return false;
        }

        if (Interlocked.Increment(ref count) > Capacity || !channel.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref count);
            Interlocked.Add(ref bytes, -size);
            return false;
        }

        return true;
    }

    /// <summary>The reader took a message out (counts it off the capacity).</summary>
    public bool TryRead(out QueuedMessage item)
    {
        if (!channel.Reader.TryRead(out item))
        {
            return false;
        }

        if (countsItself)
        {
            Interlocked.Decrement(ref count);
        }

        Interlocked.Add(ref bytes, -item.Size);
        return true;
    }

    public void Complete() => channel.Writer.TryComplete();
}

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
/// </summary>
internal sealed class RecordQueue
{
    private readonly Channel<QueuedMessage> channel;
    private readonly bool countsItself;
    private long count;

    public RecordQueue(int capacity, FullQueuePolicy policy, Action<QueuedMessage> onOldestDropped)
    {
        Capacity = capacity;
        Policy = policy;
        countsItself = policy == FullQueuePolicy.DropNewest;
        channel = countsItself
            ? Channel.CreateUnbounded<QueuedMessage>(new UnboundedChannelOptions
            {
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false, // the publisher's thread must never run the writer loop
            })
            : Channel.CreateBounded(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
                FullMode = BoundedChannelFullMode.DropOldest,
            }, onOldestDropped);
    }

    public ChannelReader<QueuedMessage> Reader => channel.Reader;

    /// <summary>Most messages the queue holds (Recorder:QueueCapacity).</summary>
    public int Capacity { get; }

    /// <summary>What happens to a message that does not fit.</summary>
    public FullQueuePolicy Policy { get; }

    /// <summary>Messages waiting for the writer loop.</summary>
    public int Count => countsItself ? (int)Math.Max(0, Interlocked.Read(ref count)) : channel.Reader.Count;

    public bool IsCompleted => channel.Reader.Completion.IsCompleted;

    /// <summary>Never waits: false when the queue is full (DropNewest) or completed.</summary>
    public bool TryWrite(QueuedMessage item)
    {
        if (!countsItself)
        {
            return channel.Writer.TryWrite(item);
        }

        if (Interlocked.Increment(ref count) > Capacity || !channel.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref count);
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

        return true;
    }

    public void Complete() => channel.Writer.TryComplete();
}

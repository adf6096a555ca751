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
/// <para>
/// Between two commits the writer sleeps until its flush deadline instead of waking for every message (at 1,000
/// msg/s that wake-up per message was half of the broker's CPU at light load). A write wakes it early only when
/// waiting would cost something: a publisher waits for the commit (AckAfterRecorded), the queue is a quarter full
/// (in count or bytes), or the queue is completed (stop). See <see cref="WaitForPromptAsync"/>.
/// </para>
/// </summary>
internal sealed class RecordQueue : IDisposable
{
    private readonly Channel<QueuedMessage> channel;
    private readonly bool countsItself;
    private readonly SemaphoreSlim prompt = new(0, 1);
    private readonly long promptCount;
    private readonly long promptBytes;
    private int prompted;
    private long count;
    private long bytes;

    public RecordQueue(int capacity, long maxBytes, FullQueuePolicy policy, Action<QueuedMessage> onOldestDropped)
    {
        Capacity = capacity;
        MaxBytes = maxBytes;
        promptCount = Math.Max(1, capacity / 4);
        promptBytes = Math.Max(1, maxBytes / 4);
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
        var queuedBytes = Interlocked.Add(ref bytes, size);
        if (queuedBytes > MaxBytes)
        {
            Interlocked.Add(ref bytes, -size);
            return false;
        }

        long queued;
        if (!countsItself)
        {
            if (!channel.Writer.TryWrite(item))
            {
                Interlocked.Add(ref bytes, -size);
                return false;
            }

            queued = channel.Reader.Count;
        }
        else
        {
            queued = Interlocked.Increment(ref count);
            if (queued > Capacity || !channel.Writer.TryWrite(item))
            {
                Interlocked.Decrement(ref count);
                Interlocked.Add(ref bytes, -size);
                return false;
            }
        }

        if (item.Recorded is not null || queued >= promptCount || queuedBytes >= promptBytes)
        {
            Prompt();
        }

        return true;
    }

    /// <summary>
    /// The writer's wait between two commits: returns at <paramref name="deadline"/>, or earlier when a write needs the
    /// commit sooner (see the class remarks). Messages written meanwhile stay in the queue for the next drain.
    /// </summary>
    public async ValueTask WaitForPromptAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (deadline > TimeSpan.Zero)
        {
            await prompt.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
        }

        // Before the writer drains: a write after this point prompts again (and the next wait returns at once).
        Volatile.Write(ref prompted, 0);
    }

    private void Prompt()
    {
        if (Interlocked.Exchange(ref prompted, 1) == 0)
        {
            prompt.Release();
        }
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

    /// <summary>Only once the writer loop has ended (it waits on the prompt).</summary>
    public void Dispose() => prompt.Dispose();

    public void Complete()
    {
        channel.Writer.TryComplete();
        Prompt();
    }
}

using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Statistics;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Queue;

/// <summary>
/// One bridge's out-queue: every message accepted locally for the remote broker, in order, until the remote
/// acknowledges it (or, at QoS 0, until it is written). Bounded in messages and bytes; what does not fit is dropped and
/// counted. QoS 1/2 messages are mirrored in the queue file (<see cref="IQueueJournal"/>) so that they survive a
/// restart. A send cursor walks the queue; a lost connection rewinds it, so every unacknowledged message is sent again,
/// in order, on the next connection: at most the in-flight window is sent twice per outage.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Lock _lock = new();
    private readonly LinkedList<QueuedMessage> _messages = new();
    private readonly BridgeQueueOptions _limits;
    private readonly IQueueJournal _journal;
    private readonly BridgeStatistics _statistics;
    private readonly QueueSignal _signal = new();
    private LinkedListNode<QueuedMessage>? _cursor;
    private long _bytes;
    private long _nextSequence;
    private int _inflight;
    private int _generation;
    private int _queuedCount;

    public OutboundQueue(BridgeQueueOptions limits, IQueueJournal journal, BridgeStatistics statistics, IReadOnlyList<QueuedMessage> restored)
    {
        _limits = limits;
        _journal = journal;
        _statistics = statistics;
        foreach (var message in restored)
        {
            message.Node = _messages.AddLast(message);
            _bytes += message.Size;
            _nextSequence = Math.Max(_nextSequence, message.Sequence);
        }

        _cursor = _messages.First;
        _queuedCount = _messages.Count;
        _statistics.AttachQueue(() => Volatile.Read(ref _queuedCount), () => Interlocked.Read(ref _bytes));
    }

    /// <summary>
    /// Adds a message at the end. False when it does not fit (counted as dropped). <paramref name="kept"/> completes once
    /// a QoS 1/2 message is in the queue file (null for QoS 0 or a queue without a file): the local publisher's
    /// acknowledgement waits for it.
    /// </summary>
    public bool TryEnqueue(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, out Task? kept)
    {
        kept = null;
        lock (_lock)
        {
            var message = new QueuedMessage(++_nextSequence, topic, payload, qos, retain);
            if (_messages.Count >= _limits.MaxMessages || _bytes + message.Size > _limits.MaxBytes)
            {
                _nextSequence--;
                _statistics.MessageDropped();
                return false;
            }

            message.Node = _messages.AddLast(message);
            _cursor ??= message.Node;
            _bytes += message.Size;
            _queuedCount = _messages.Count;
            if (message.IsDurable)
            {
                kept = _journal.Save(message);
            }
        }

        _statistics.MessageQueued();
        _signal.Set();
        return true;
    }

    /// <summary>The next message to send on the connection <paramref name="generation"/>, within the in-flight window; null when there is none.</summary>
    public QueuedMessage? TakeNext(int generation, int window)
    {
        lock (_lock)
        {
            if (generation != _generation || _cursor is null || _inflight >= window)
            {
                return null;
            }

            var message = _cursor.Value;
            _cursor = _cursor.Next;
            _inflight++;
            return message;
        }
    }

    /// <summary>The remote acknowledged (or, QoS 0, the message was written; or the remote refused it for good): it leaves the queue.</summary>
    public void Complete(QueuedMessage message, int generation)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                _inflight--;
            }

            if (message.Node is { } node)
            {
                if (_cursor == node)
                {
                    _cursor = node.Next;
                }

                _messages.Remove(node);
                message.Node = null;
                _bytes -= message.Size;
                _queuedCount = _messages.Count;
                if (message.IsDurable)
                {
                    _journal.Delete(message.Sequence);
                }
            }
        }

        _signal.Set();
    }

    /// <summary>A send that ended without an acknowledgement (the connection went): the message stays; its window slot frees.</summary>
    public void Abandon(int generation)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                _inflight--;
            }
        }

        _signal.Set();
    }

    /// <summary>A new connection: everything not acknowledged is sent again from the head. Returns its generation.</summary>
    public int Rewind()
    {
        lock (_lock)
        {
            _generation++;
            _inflight = 0;
            _cursor = _messages.First;
            return _generation;
        }
    }

    /// <summary>Completes when something may be sent (a message was queued, or a window slot freed).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    public int Count => Volatile.Read(ref _queuedCount);
}

namespace EmbeddedBroker.Bridges.Statistics;

/// <summary>
/// Live figures of one bridge, safe to read from any thread ($SYS, /metrics, /api/stats): its state, its out-queue,
/// what it sent and had acknowledged, what came in, what it dropped, and how often it (re)connected.
/// </summary>
public sealed class BridgeStatistics(string name)
{
    private long _queued;
    private long _sent;
    private long _acknowledged;
    private long _dropped;
    private long _rejected;
    private long _received;
    private long _receivedDuplicates;
    private long _connects;
    private long _failedAttempts;
    private int _state;
    private Func<int>? _queueMessages;
    private Func<long>? _queueBytes;
    private string? _lastError;
    private string? _connectedAddress;

    public string Name { get; } = name;

    public BridgeState State => (BridgeState)Volatile.Read(ref _state);

    /// <summary>The remote address connected to now, or null.</summary>
    public string? ConnectedAddress => Volatile.Read(ref _connectedAddress);

    /// <summary>Messages in the out-queue now (not yet acknowledged by the remote broker).</summary>
    public int QueueMessages => _queueMessages?.Invoke() ?? 0;

    /// <summary>Bytes of <see cref="QueueMessages"/> (the figure bounded by Queue:MaxBytes).</summary>
    public long QueueBytes => _queueBytes?.Invoke() ?? 0;

    /// <summary>Local messages put in the out-queue since start.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>PUBLISH packets sent to the remote broker, resends after a reconnection included.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages that left the queue: QoS 1/2 acknowledged by the remote (PUBACK, PUBCOMP), QoS 0 written.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Local messages for the remote that did not fit in the out-queue (its overflow).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages the remote refused for good (MQTT 5 reason code &gt;= 0x80, e.g. not authorized): not sent again.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Messages received from the remote broker and published locally.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Received messages flagged DUP (sent again by the remote after a reconnection): possible duplicates.</summary>
    public long ReceivedDuplicates => Interlocked.Read(ref _receivedDuplicates);

    /// <summary>Successful connections since start (the first included).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Connections after the first: how often the bridge had to reconnect.</summary>
    public long Reconnects => Math.Max(0, Connects - 1);

    /// <summary>Connection attempts that failed.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Why the last attempt failed or the last connection ended, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    internal void AttachQueue(Func<int> messages, Func<long> bytes)
    {
        _queueMessages = messages;
        _queueBytes = bytes;
    }

    internal void SetState(BridgeState state) => Volatile.Write(ref _state, (int)state);

    internal void Connected(string address)
    {
        Interlocked.Increment(ref _connects);
        Volatile.Write(ref _connectedAddress, address);
        SetState(BridgeState.Connected);
    }

    internal void Disconnected(string reason)
    {
        Volatile.Write(ref _connectedAddress, null);
        Volatile.Write(ref _lastError, reason);
        SetState(BridgeState.Connecting);
    }

    internal void AttemptFailed(string reason)
    {
        Interlocked.Increment(ref _failedAttempts);
        Volatile.Write(ref _lastError, reason);
    }

    internal void MessageQueued() => Interlocked.Increment(ref _queued);

    internal void MessageSent() => Interlocked.Increment(ref _sent);

    internal void MessageAcknowledged() => Interlocked.Increment(ref _acknowledged);

    internal void MessageDropped() => Interlocked.Increment(ref _dropped);

    internal void MessageRejected() => Interlocked.Increment(ref _rejected);

    internal void MessageReceived(bool duplicate)
    {
        Interlocked.Increment(ref _received);
        if (duplicate)
        {
            Interlocked.Increment(ref _receivedDuplicates);
        }
    }
}

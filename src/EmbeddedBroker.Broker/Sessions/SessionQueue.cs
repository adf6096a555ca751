using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// The messages waiting for one session, in arrival order for every QoS (MQTT-4.6.0), bounded by
/// MaximumQueuedMessagesPerClient, with the back-pressure state publishers wait on: the high-water mark, the shared
/// "drained" task of one congestion episode, and the stalled flag of a subscriber found stuck.
/// Not thread-safe: only <see cref="MqttSession"/> uses it, under its lock.
/// </summary>
internal sealed class SessionQueue(SessionQueueLimits limits)
{
    private readonly Queue<QueuedDelivery> _items = new();
    private TaskCompletionSource? _drained;
    private bool _stalled;

    public int Count => _items.Count;

    public bool IsFull => _items.Count >= limits.Maximum;

    /// <summary>True when an online publisher should now wait for this queue (at the high-water mark, not stalled).</summary>
    public bool IsCongested => !_stalled && _items.Count >= limits.HighWater;

    public void Enqueue(in QueuedDelivery delivery) => _items.Enqueue(delivery);

    public bool TryPeek(out QueuedDelivery delivery) => _items.TryPeek(out delivery);

    public QueuedDelivery Dequeue() => _items.Dequeue();

    /// <summary>The task publishers wait on until the queue is back at the low-water mark; null when there is nothing to
    /// wait for. Every publisher waiting on this session shares one task per congestion episode.</summary>
    public Task? GetDrainTask()
    {
        if (_stalled || _items.Count <= limits.LowWater)
            return null;
        return (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    /// <summary>A publisher waited in vain: until the queue drains to the low-water mark, nobody waits for it again.</summary>
    public void MarkStalled()
    {
        if (_items.Count > limits.LowWater)
            _stalled = true;
    }

    /// <summary>When the queue is at the low-water mark, ends the stall and hands back the waiters' task to complete
    /// (outside the lock).</summary>
    public TaskCompletionSource? TakeDrainedIfLow()
    {
        if (_items.Count > limits.LowWater)
            return null;
        _stalled = false;
        return TakeDrained();
    }

    /// <summary>Hands back the waiters' task whatever the queue holds (the client went offline or the session ended).</summary>
    public TaskCompletionSource? TakeDrained()
    {
        var drained = _drained;
        _drained = null;
        return drained;
    }

    public void Clear() => _items.Clear();

    /// <summary>The queued deliveries that came through a shared subscription, in order.</summary>
    public IEnumerable<QueuedDelivery> Shared() => _items.Where(d => d.Group is not null);

    /// <summary>MQTT 5 Message Expiry Interval (3.3.2.3.3): an expired message is not delivered.</summary>
    public static bool IsExpired(MqttApplicationMessage message, DateTimeOffset now) =>
        message.Properties.MessageExpiryInterval is { } seconds && message.ReceivedAt.AddSeconds(seconds) <= now;

    /// <summary>QoS 0 is not kept for an offline client (the spec allows it; Mosquitto does the same).</summary>
    public static bool KeepsWhileOffline(MqttQualityOfService qos) => qos != MqttQualityOfService.AtMostOnce;
}

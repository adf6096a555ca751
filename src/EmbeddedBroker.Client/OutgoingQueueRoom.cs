namespace EmbeddedBroker.Client;

/// <summary>
/// QoS 0 backpressure: how many QoS 0 publishes sit in the writer's queue, and who waits for it to shrink below
/// <see cref="MqttClientOptions.OutgoingQueueCapacity"/>. A publish over the capacity is already queued, in order;
/// its caller only waits for room.
/// </summary>
internal sealed class OutgoingQueueRoom(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private int _queued;

    /// <summary>Counts one more QoS 0 publish before it is queued.</summary>
    public void Take() => Interlocked.Increment(ref _queued);

    /// <summary>The publish counted by <see cref="Take"/> could not be queued.</summary>
    public void GiveBack() => Interlocked.Decrement(ref _queued);

    /// <summary>Completed at once while the queue is within its capacity, else when the writer drained it.</summary>
    public Task WhenRoomAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _queued) <= capacity)
        {
            return Task.CompletedTask;
        }

        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Enqueue(room);
        }

        // The writer may have drained the queue between the check above and the enqueue.
        Released(0);
        return room.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Called by the writer loop after flushing <paramref name="count"/> QoS 0 publishes.</summary>
    public void Released(int count)
    {
        if (Interlocked.Add(ref _queued, -count) > capacity)
        {
            return;
        }

        lock (_lock)
        {
            while (_waiting.TryDequeue(out var room))
            {
                room.TrySetResult();
            }
        }
    }

    public void FailWaiters(Exception reason)
    {
        lock (_lock)
        {
            while (_waiting.TryDequeue(out var room))
            {
                room.TrySetException(reason);
            }
        }
    }
}

namespace EmbeddedBroker.Bridges.Queue;

/// <summary>Where an out-queue's QoS 1/2 messages are kept across restarts: one change at a time, never blocking.</summary>
internal interface IQueueJournal : IAsyncDisposable
{
    /// <summary>Everything kept, oldest first (at start, before the bridge runs).</summary>
    IReadOnlyList<QueuedMessage> Load();

    /// <summary>Keeps a message; completes once it is durable, faults when it could not be written.</summary>
    Task Save(QueuedMessage message);

    /// <summary>The message was acknowledged: forget it.</summary>
    void Delete(long sequence);
}

/// <summary>A queue without a file (persistence turned off): nothing survives a restart.</summary>
internal sealed class MemoryQueueJournal : IQueueJournal
{
    public IReadOnlyList<QueuedMessage> Load() => [];

    public Task Save(QueuedMessage message) => Task.CompletedTask;

    public void Delete(long sequence)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

namespace EmbeddedBroker.Bridges.Queue;

/// <summary>An auto-reset wake-up for one waiting loop: many Set calls before a wait count once.</summary>
internal sealed class QueueSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>For one loop at a time; a cancelled wait leaves nothing behind that the next wait would miss.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            waiter = _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }
}

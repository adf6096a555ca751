using System.Threading.Tasks.Sources;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Wakes one connection's writer loop: many signallers (publishers, the read loop), one waiter. Signals coalesce, a
/// signal given while the writer is busy is kept for its next wait, and an already-signalled writer costs a signaller one
/// volatile read. It replaces a Channel&lt;bool&gt; of capacity one, which cost about 750 bytes per connection (a
/// ConcurrentQueue-free, allocation-free wait matters with thousands of idle connections).
/// </summary>
internal sealed class WriterSignal : IValueTaskSource<bool>
{
    private const int Idle = 0;
    private const int Signalled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;
    private volatile bool _completed;

    /// <summary>Wakes the writer, or marks that it has work when it next waits. Safe from any thread.</summary>
    public void Set()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state == Signalled)
                return;
            if (state == Idle)
            {
                if (Interlocked.CompareExchange(ref _state, Signalled, Idle) == Idle)
                    return;
                continue;
            }

            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                _core.SetResult(true);
                return;
            }
        }
    }

    /// <summary>Lets the writer run one last round (to flush what is queued), after which <see cref="WaitAsync"/> returns false.</summary>
    public void Complete()
    {
        _completed = true;
        Set();
    }

    /// <summary>True when there is (or may be) work; false once completed and the last signal was consumed. One caller at a time.</summary>
    public ValueTask<bool> WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signalled) == Signalled)
            return ValueTask.FromResult(true);
        if (_completed)
            return ValueTask.FromResult(false);

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // Signalled between the two checks.
            Volatile.Write(ref _state, Idle);
            return ValueTask.FromResult(true);
        }

        return new ValueTask<bool>(this, _core.Version);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

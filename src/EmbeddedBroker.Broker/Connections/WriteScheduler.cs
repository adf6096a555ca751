namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Runs a connection's writer in rounds, on demand: a signal while the writer is idle starts a round (on the thread
/// pool, or inline on the signalling thread), a signal during a round asks for one more, and between rounds nothing is
/// held — no parked loop, no task, no state machine — so an idle connection costs nothing here. A round that must wait
/// for the network (a flush) allocates its state machine only then.
/// </summary>
internal sealed class WriteScheduler(Func<ValueTask<bool>> runRound, bool inline) : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Signalled = 2;
    private const int Finished = 3;

    [ThreadStatic]
    private static int t_inlineDepth;

    private int _state;
    private volatile bool _enabled;
    private volatile bool _stopRequested;
    private TaskCompletionSource? _stopped;

    /// <summary>From now on signals start rounds (CONNACK is out; nothing may be written before it).</summary>
    public void Enable()
    {
        _enabled = true;
        Signal();
    }

    /// <summary>There is (or may be) something to write. Safe from any thread; coalesces.</summary>
    public void Signal()
    {
        if (!_enabled)
            return;
        while (true)
        {
            var state = Volatile.Read(ref _state);
            switch (state)
            {
                case Signalled:
                    return;
                case Finished:
                    if (_stopRequested)
                        Volatile.Read(ref _stopped)?.TrySetResult();
                    return;
                case Running:
                    if (Interlocked.CompareExchange(ref _state, Signalled, Running) == Running)
                        return;
                    continue;
                default:
                    if (Interlocked.CompareExchange(ref _state, Running, Idle) != Idle)
                        continue;
                    Start();
                    return;
            }
        }
    }

    /// <summary>Completes once the last round after this call ended (what was queued, e.g. a DISCONNECT, is written).</summary>
    public Task StopAsync()
    {
        if (!_enabled)
            return Task.CompletedTask;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stopped, stopped);
        _stopRequested = true;
        Signal();
        return stopped.Task;
    }

    void IThreadPoolWorkItem.Execute() => _ = RunAsync();

    private void Start()
    {
        if (!inline || t_inlineDepth > 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }

        // Inline: the signalling thread (a publisher's fan-out) encodes into this connection's output at once, one
        // level deep, instead of waking another thread for it.
        t_inlineDepth++;
        try
        {
            _ = RunAsync();
        }
        finally
        {
            t_inlineDepth--;
        }
    }

    /// <summary>A Task, not a ValueTask, so that it may be left running: a round that never waits completes
    /// synchronously and returns the cached completed task (no allocation); only a round that waits for a flush
    /// allocates its state machine.</summary>
    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                Volatile.Write(ref _state, Running); // a signal given before this point is served by this round
                if (!await runRound().ConfigureAwait(false))
                {
                    Volatile.Write(ref _state, Finished);
                    return;
                }

                if (Interlocked.CompareExchange(ref _state, Idle, Running) == Running)
                    return;
            }
        }
        catch
        {
            Volatile.Write(ref _state, Finished);
            throw;
        }
        finally
        {
            if (_stopRequested)
                Volatile.Read(ref _stopped)?.TrySetResult();
        }
    }
}

using System.Diagnostics;

namespace EmbeddedBroker.Replay;

/// <summary>
/// Keeps the recorded relative timing: a message recorded <c>t</c> after the first one is published <c>t / speed</c>
/// after the replay's start, measured on one monotonic clock from that start (so errors never add up). Sleeps until a
/// few milliseconds before, then spins the rest: Task.Delay alone wakes up several milliseconds late on a busy machine.
/// </summary>
internal sealed class ReplayClock(double speed)
{
    private static readonly TimeSpan SpinBelow = TimeSpan.FromMilliseconds(5);
    private readonly Stopwatch clock = new();
    private DateTimeOffset first;

    /// <summary>True once the first message is out: the clock runs from then.</summary>
    public bool IsStarted => clock.IsRunning;

    /// <summary>
    /// The first message was handed to the client: the clock starts now, not before, so that the first publish's own
    /// start-up (code compiled on first use) does not make every later message look early.
    /// </summary>
    public void Start(DateTimeOffset firstRecordedAt)
    {
        first = firstRecordedAt;
        clock.Start();
    }

    public async ValueTask WaitForAsync(DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        if (!clock.IsRunning)
        {
            return;
        }

        if (speed == ReplayOptions.MaxSpeed)
        {
            return;
        }

        var due = TimeSpan.FromTicks((long)((recordedAt - first).Ticks / speed));
        var wait = due - clock.Elapsed;
        if (wait > SpinBelow)
        {
            await Task.Delay(wait - SpinBelow, cancellationToken).ConfigureAwait(false);
        }

        var spinner = default(SpinWait);
        while (clock.Elapsed < due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}

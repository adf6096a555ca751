using System.Diagnostics;

namespace EmbeddedBroker.Bench;

/// <summary>
/// Spreads sends at a fixed rate. Timers tick at about 1 ms, so at high rates it sends whatever fell due since the
/// last tick (small bursts) instead of sleeping per message: the long-run rate is exact, the spacing approximate. At low
/// rates it sleeps until the next message is due, so that many slow pacers do not wake up every millisecond.
/// </summary>
internal sealed class Pacer(double messagesPerSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _released;

    public async ValueTask WaitForNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            var due = (long)(elapsed * messagesPerSecond) + 1;
            if (_released < due)
            {
                _released++;
                return;
            }

            // Message number _released + 1 is due at _released / rate seconds.
            var untilNext = (_released / messagesPerSecond) - elapsed;
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.001, untilNext)), cancellationToken);
        }
    }
}

using System.Diagnostics;

namespace EmbeddedBroker.Bench;

/// <summary>
/// Spreads sends at a fixed rate. Timers tick at about 1 ms, so it sends whatever fell due since the last tick
/// (small bursts) instead of sleeping per message: the long-run rate is exact, the spacing is approximate.
/// </summary>
internal sealed class Pacer(double messagesPerSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _released;

    public async ValueTask WaitForNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var due = (long)(Stopwatch.GetElapsedTime(_start).TotalSeconds * messagesPerSecond) + 1;
            if (_released < due)
            {
                _released++;
                return;
            }

            await Task.Delay(1, cancellationToken);
        }
    }
}

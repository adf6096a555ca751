namespace EmbeddedBroker.Broker.Diagnostics;

/// <summary>
/// Lets one log line through per interval for an event that can repeat at the rate an abusive or broken client
/// chooses (malformed packets, take-over ping-pong, refused publishes), and counts the ones it held back so that the
/// next line can say how many there were. Thread-safe and allocation-free.
/// </summary>
public sealed class LogThrottle(TimeSpan interval)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private long _nextAllowedAt = long.MinValue;
    private long _suppressed;

    /// <summary>True when this occurrence may be logged; <paramref name="suppressed"/> is how many were not since the last
    /// logged one. False (and counted) otherwise.</summary>
    public bool TryEnter(out long suppressed)
    {
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextAllowedAt);
        if (now >= next && Interlocked.CompareExchange(ref _nextAllowedAt, now + _intervalMs, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}

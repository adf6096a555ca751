namespace EmbeddedBroker.RecordMode;

/// <summary>Delays between reconnection attempts: 1 s, 2 s, 4 s ... up to a maximum, with ±20 % jitter so recorders
/// that lost the same broker do not all knock at once. <see cref="Reset"/> after a connection that worked.</summary>
public sealed class ReconnectBackoff(TimeSpan maximum, Random? random = null)
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private readonly Random random = random ?? Random.Shared;
    private TimeSpan next = First;

    public TimeSpan NextDelay()
    {
        var current = next < maximum ? next : maximum;
        next = current * 2 < maximum ? current * 2 : maximum;
        var jitter = 0.8 + (0.4 * random.NextDouble());
        return current * jitter;
    }

    public void Reset() => next = First;
}

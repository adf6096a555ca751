namespace EmbeddedBroker.Security.Tests.Support;

/// <summary>A clock the test moves by hand (timers stay real: delays are checked through their computed length).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>A clock that says <paramref name="now"/>: "now" for the retention limit.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

using EmbeddedBroker.Broker.Diagnostics;

namespace EmbeddedBroker.Broker.Tests.Diagnostics;

internal sealed class LogThrottleTests
{
    [Test]
    public void One_line_per_interval_passes_and_the_next_one_counts_those_held_back()
    {
        var throttle = new LogThrottle(TimeSpan.FromMilliseconds(200));
        Assert.That(throttle.TryEnter(out var first), Is.True);
        Assert.That(first, Is.Zero);
        for (var i = 0; i < 1000; i++)
            Assert.That(throttle.TryEnter(out _), Is.False);

        Thread.Sleep(250);
        Assert.That(throttle.TryEnter(out var suppressed), Is.True);
        Assert.That(suppressed, Is.EqualTo(1000));
    }

    [Test]
    public void Concurrent_callers_let_exactly_one_line_through_per_interval()
    {
        var throttle = new LogThrottle(TimeSpan.FromHours(1));
        var passed = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (throttle.TryEnter(out _))
                Interlocked.Increment(ref passed);
        });
        Assert.That(passed, Is.EqualTo(1));
    }
}

using EmbeddedBroker.Bridges.Connection;

namespace EmbeddedBroker.Bridges.Tests.Unit;

/// <summary>Mosquitto's restart_timeout: constant with one value, jittered back-off between base and cap with two.</summary>
public sealed class ReconnectDelayTests
{
    [Test]
    public void One_value_is_a_constant_delay()
    {
        var delay = new ReconnectDelay(3, null);

        Assert.That(Enumerable.Range(0, 5).Select(_ => delay.Next().TotalSeconds), Is.All.EqualTo(3));
    }

    [TestCase(null, null, 5, 30)]
    [TestCase(2, 10, 2, 10)]
    public void Back_off_stays_between_base_and_cap_and_grows_and_reset_starts_again(int? restartTimeout, int? max, int expectedBase, int expectedCap)
    {
        var delay = new ReconnectDelay(restartTimeout, max, new Random(42));
        var delays = Enumerable.Range(0, 50).Select(_ => delay.Next().TotalSeconds).ToArray();

        Assert.That(delays, Is.All.InRange(expectedBase, expectedCap));
        Assert.That(delays.Skip(10).Max(), Is.EqualTo(expectedCap).Within(0.001), "reaches the cap");
        delay.Reset();
        Assert.That(delay.Next().TotalSeconds, Is.LessThanOrEqualTo(expectedBase * 3));
    }
}

using System.Diagnostics;

namespace EmbeddedBroker.Recorder.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeoutMs"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs)
            {
                Assert.Fail($"Timed out after {timeoutMs} ms waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }
}

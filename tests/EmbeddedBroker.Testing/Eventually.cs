using System.Diagnostics;

namespace EmbeddedBroker.Testing;

/// <summary>Bounded polling: waits until a condition holds, or fails the test saying what it waited for.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeoutMs"/>.</summary>
    public static Task HoldsAsync(Func<bool> condition, string what, int timeoutMs = 10_000) =>
        HoldsAsync(condition, what, TimeSpan.FromMilliseconds(timeoutMs));

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan timeout) =>
        HoldsAsync(() => Task.FromResult(condition()), () => what, timeout, DefaultPoll);

    /// <summary>
    /// Polls <paramref name="condition"/> every <paramref name="poll"/> until it holds. <paramref name="what"/> is asked
    /// only on failure, so the message can show the state at that moment (a file, a process's output).
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan timeout, TimeSpan poll)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalMilliseconds:0} ms waiting until {what()}.");
            }

            await Task.Delay(poll);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using EmbeddedBroker.Persistence.Tests.Support;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>
/// A child process (this assembly in crash-writer mode) hands a retained message to the store about every
/// millisecond, with the default one-second flush interval, and is killed with SIGKILL: no stop, no flush. What is
/// on disk afterwards must be an undamaged prefix of what was handed over, missing at most about one flush interval.
/// </summary>
[NonParallelizable]
public sealed class CrashTests
{
    private static readonly TimeSpan FlushInterval = new PersistenceOptions().FlushInterval;

    [Test]
    public async Task Kill_9_loses_at_most_one_flush_interval_and_leaves_an_undamaged_store()
    {
        await using var folder = new StoreFolder();
        var reported = new List<(int Index, double Milliseconds)>();
        var reachedTarget = new TaskCompletionSource();
        // A random moment between 3 and 4 s of writing: the kill is not aligned with the writer's turns.
        var target = 3_000 + Random.Shared.Next(0, 1_000);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "exec", typeof(CrashTests).Assembly.Location, "crash-writer", folder.Path })
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start)!;
        try
        {
            var reading = Task.Run(async () =>
            {
                while (await child.StandardOutput.ReadLineAsync() is { } line)
                {
                    var parts = line.Split(' ');
                    var entry = (int.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
                    lock (reported) reported.Add(entry);
                    if (entry.Item1 >= target) reachedTarget.TrySetResult();
                }
            });
            await reachedTarget.Task.WaitAsync(TimeSpan.FromSeconds(60));
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }

        var store = folder.Open();
        var state = await store.LoadAsync(CancellationToken.None);
        Assert.That(store.Statistics.MovedAsidePath, Is.Null, "a crash never damages the store");
        var committed = state.Retained.Select(m => BitConverter.ToInt32(m.Payload.Span)).Order().ToArray();
        Assert.That(committed, Is.Not.Empty, "at least the first flush interval's changes were committed");
        Assert.That(committed, Is.EqualTo(Enumerable.Range(0, committed.Length)), "a prefix of what was handed over, in order");

        var (lastIndex, killedAtMs) = reported[^1];
        var firstLost = committed.Length;
        var firstLostAtMs = firstLost <= lastIndex ? reported[firstLost].Milliseconds : killedAtMs;
        var lossWindow = TimeSpan.FromMilliseconds(killedAtMs - firstLostAtMs);
        TestContext.Out.WriteLine($"handed over {lastIndex + 1} changes in {killedAtMs:F0} ms; committed {committed.Length}; " +
            $"lost {lastIndex + 1 - committed.Length} changes = the last {lossWindow.TotalMilliseconds:F0} ms (flush interval {FlushInterval.TotalMilliseconds} ms)");
        Assert.That(lossWindow, Is.LessThanOrEqualTo(FlushInterval + TimeSpan.FromMilliseconds(500)));
    }
}

namespace EmbeddedBroker.Integration.Tests.Persistence;

/// <summary>A damaged state store never stops the broker from starting: it is moved aside and the broker starts empty.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class DamagedStoreTests
{
    [TestCase("truncated")]
    [TestCase("overwritten")]
    public async Task A_damaged_store_is_moved_aside_and_the_broker_serves_within_5_seconds(string damage)
    {
        using var folder = new TempFolder("eb-damaged-");
        var output = RecorderOutput.In(folder);
        using (var first = await AppProcess.StartAsync(output))
        {
            var published = await MosquittoClients.PublishAsync(first.Port, "-t", "kept/before", "-m", "x", "-r", "-q", "1");
            Assert.That(published.ExitCode, Is.Zero);
            Assert.That(await first.TerminateAsync(TimeSpan.FromSeconds(15)), Is.Zero);
        }

        var store = output.StorePath;
        var bytes = await File.ReadAllBytesAsync(store);
        if (damage == "truncated")
            await File.WriteAllBytesAsync(store, bytes[..(bytes.Length / 3)]);
        else
            await File.WriteAllBytesAsync(store, [.. Enumerable.Range(0, bytes.Length).Select(i => (byte)(i * 31))]);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var second = await AppProcess.StartAsync(output);
        var served = await MosquittoClients.PublishAsync(second.Port, "-t", "after/damage", "-m", "y", "-q", "1");
        Assert.That(served.ExitCode, Is.Zero, "the broker serves");
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(Directory.GetFiles(folder.Path, "broker.db.damaged-*"), Is.Not.Empty, "the damaged file was moved aside, not deleted");
    }
}

using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Testing;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>The store on a 2 MB tmpfs that fills up, then grows to 64 MB.</summary>
[NonParallelizable]
public sealed class FullDiskTests
{
    [Test]
    public async Task Full_disk_fails_writes_that_are_counted_keeps_accepting_changes_and_catches_up_with_nothing_lost_when_space_returns()
    {
        using var disk = SmallTmpfs.MountOrIgnore("2M");
        var folder = new StoreFolder(disk.Directory);
        try
        {
            var store = folder.Open(StoreFolder.Fast with { FlushInterval = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(300) });
            await store.LoadAsync(CancellationToken.None);
            var payload = new byte[4096];

            // Fits: 100 x 4 KB.
            for (var i = 0; i < 100; i++) store.SetRetained(Messages.Plain($"fits/{i}", "x") with { Payload = Filled(payload, i) });
            await store.FlushedAsync();
            Assert.That(store.Statistics.WriteErrors, Is.Zero);

            // Does not fit: 1,000 x 4 KB on what is left of 2 MB.
            for (var i = 0; i < 1_000; i++) store.SetRetained(Messages.Plain($"big/{i}", "x") with { Payload = Filled(payload, i) });
            var flush = await Assert.ThrowsAsync<StoreNotDurableException>(() => store.FlushedAsync().WaitAsync(TimeSpan.FromSeconds(10)),
                "a flush waiter faults while the disk is full");
            TestContext.Out.WriteLine($"FlushedAsync faulted: {flush!.Message}");
            Assert.That(store.Statistics.WriteErrors, Is.GreaterThanOrEqualTo(1));
            Assert.That(store.Statistics.LastErrorMessage, Does.Contain("full").IgnoreCase);

            // Still accepted while the disk is full, within the bounds.
            store.SaveSession(new StoredSession("offline", 3600, DateTimeOffset.UtcNow, null));
            for (var q = 1; q <= 200; q++)
                store.SaveDelivery("offline", new StoredDelivery(q, Messages.Plain("big/x", $"queued {q}"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
            await Task.Delay(1_000);
            Assert.That(store.Statistics.DroppedChanges, Is.Zero);
            Assert.That(store.Statistics.PendingChanges, Is.GreaterThanOrEqualTo(1_201));
            var errorsWhileFull = store.Statistics.WriteErrors;
            Assert.That(errorsWhileFull, Is.GreaterThan(2), "retried with back-off");
            TestContext.Out.WriteLine($"while full: {errorsWhileFull} failed attempts, {store.Statistics.PendingChanges} changes / {store.Statistics.PendingBytes} bytes pending");

            disk.Grow("64M");
            Assert.That(await StoreFolder.FlushSucceedsWithinAsync(store, TimeSpan.FromSeconds(15)), Is.True, "catches up once space returns");
            Assert.That(store.Statistics.PendingChanges, Is.Zero);
            Assert.That(store.Statistics.Degraded, Is.False);
            await store.DisposeAsync();

            var state = await folder.Open().LoadAsync(CancellationToken.None);
            Assert.That(state.Retained, Has.Count.EqualTo(1_100));
            Assert.That(state.Retained.Single(m => m.Topic == "big/999").Payload.ToArray(), Is.EqualTo(Filled(payload, 999).ToArray()));
            Assert.That(state.Sessions.Single().Deliveries, Has.Count.EqualTo(200));
            var errorLines = folder.Log.At(LogLevel.Error).Count();
            Assert.That(errorLines, Is.LessThanOrEqualTo(3), "logged once, then one summary per interval");
        }
        finally
        {
            await folder.DisposeAsync();
        }
    }

    private static ReadOnlyMemory<byte> Filled(byte[] template, int seed)
    {
        var bytes = (byte[])template.Clone();
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}

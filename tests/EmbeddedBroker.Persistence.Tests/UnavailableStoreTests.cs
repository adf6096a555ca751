using EmbeddedBroker.Persistence.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>
/// A store whose folder cannot be created (a file is in the way): the broker runs from memory, the changes wait in the
/// bounded buffer, and they reach the disk once the way is clear. Beyond the bounds changes are dropped and counted.
/// </summary>
public sealed class UnavailableStoreTests : StoreFolderTest
{
    private string blocker = null!;
    private string blockedPath = null!;

    [SetUp]
    public void SetUp()
    {
        blocker = Path.Combine(Folder.Directory, "state");
        File.WriteAllText(blocker, "a file where the store's folder should be");
        blockedPath = Path.Combine(blocker, "broker.db");
    }

    private async Task<SqliteBrokerStore> StartBlockedAsync(PersistenceOptions? options = null)
    {
        var store = Folder.OpenAt(blockedPath, options);
        var state = await store.LoadAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(state.Retained, Is.Empty);
        Assert.That(store.Statistics.WriteErrors, Is.GreaterThanOrEqualTo(1));
        return store;
    }

    [Test]
    public async Task Store_that_cannot_be_opened_at_start_keeps_changes_in_memory_and_writes_them_all_when_it_can()
    {
        var store = await StartBlockedAsync();
        for (var i = 0; i < 500; i++) store.SetRetained(Messages.Plain($"r/{i}", i.ToString()));
        await Assert.ThrowsAsync<StoreNotDurableException>(() => store.FlushedAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(1_500);
        Assert.That(store.Statistics.PendingChanges, Is.EqualTo(500));
        Assert.That(store.Statistics.WriteErrors, Is.GreaterThan(3), "retried");

        File.Delete(blocker);
        Assert.That(await StoreFolder.FlushSucceedsWithinAsync(store, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(store.Statistics.PendingChanges, Is.Zero);
        Assert.That(store.Statistics.DroppedChanges, Is.Zero);
        await store.DisposeAsync();

        var state = await Folder.OpenAt(blockedPath).LoadAsync(CancellationToken.None);
        Assert.That(state.Retained, Has.Count.EqualTo(500));
        var errors = Folder.Log.At(LogLevel.Error).Where(l => l.Contains("failed", StringComparison.Ordinal) || l.Contains("failing", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Count.InRange(1, 3), "one line, then at most one per 10 s, not one per attempt");
        Assert.That(Folder.Log.Lines.Any(l => l.Text.Contains("writing again after", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Changes_beyond_the_count_bound_are_dropped_counted_and_the_store_is_degraded_until_restart()
    {
        var store = await StartBlockedAsync(StoreFolder.Fast with { MaximumPendingChanges = 1_000 });
        for (var i = 0; i < 1_500; i++) store.SetRetained(Messages.Plain($"r/{i}", "x"));
        Assert.That(store.Statistics.DroppedChanges, Is.EqualTo(500));
        Assert.That(store.Statistics.PendingChanges, Is.EqualTo(1_000));
        Assert.That(store.Statistics.Degraded, Is.True);
        await Assert.ThrowsAsync<StoreNotDurableException>(() => store.FlushedAsync(), "no room even for a waiter");

        File.Delete(blocker);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (store.Statistics.PendingChanges > 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.That(store.Statistics.PendingChanges, Is.Zero, "what was kept is written");
        var flush = await Assert.ThrowsAsync<StoreNotDurableException>(() => store.FlushedAsync());
        Assert.That(flush!.Message, Does.Contain("dropped changes"), "cannot promise durability after losing changes");
        await store.DisposeAsync();
        Assert.That((await Folder.OpenAt(blockedPath).LoadAsync(CancellationToken.None)).Retained, Has.Count.EqualTo(1_000),
            "exactly the changes kept; the dropped ones are lost");
        Assert.That(Folder.Log.At(LogLevel.Error).Count(l => l.Contains("changes dropped", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task After_dropped_changes_the_engine_snapshot_is_written_over_the_file_and_the_store_is_whole_again()
    {
        var store = await StartBlockedAsync(StoreFolder.Fast with { MaximumPendingChanges = 1_000 });
        var engineMemory = new List<MqttApplicationMessage>();
        store.SnapshotSource = () => new StoredBrokerState([.. engineMemory],
            [new StoredSessionState(new StoredSession("kept", 60, null, null), [], [], [7], null)]);
        for (var i = 0; i < 1_500; i++)
        {
            var message = Messages.Plain($"r/{i}", "x");
            engineMemory.Add(message);
            store.SetRetained(message);
        }
        Assert.That(store.Statistics.DroppedChanges, Is.EqualTo(500));

        File.Delete(blocker);
        Assert.That(await StoreFolder.FlushSucceedsWithinAsync(store, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(store.Statistics.Degraded, Is.False);
        Assert.That(store.Statistics.Resynchronisations, Is.EqualTo(1));
        store.SetRetained(Messages.Plain("after", "resync"));
        await store.DisposeAsync();

        var state = await Folder.OpenAt(blockedPath).LoadAsync(CancellationToken.None);
        Assert.That(state.Retained, Has.Count.EqualTo(1_501));
        Assert.That(state.Sessions.Single().IncomingQos2, Is.EqualTo(new ushort[] { 7 }));
    }

    [Test]
    public async Task Changes_beyond_the_byte_bound_are_dropped_and_counted()
    {
        var store = await StartBlockedAsync(StoreFolder.Fast with { MaximumPendingBytes = 1024 * 1024 });
        for (var i = 0; i < 100; i++) store.SetRetained(Messages.Plain($"r/{i}", new string('x', 20_000)));
        Assert.That(store.Statistics.PendingBytes, Is.LessThanOrEqualTo(1024 * 1024));
        Assert.That(store.Statistics.DroppedChanges, Is.InRange(40, 60));
        Assert.That(store.Statistics.PendingChanges + store.Statistics.DroppedChanges, Is.EqualTo(100));
    }
}

using System.Diagnostics;
using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>When changes reach the file: the flush interval, flush waiters, stop and disposal.</summary>
public sealed class LifecycleTests : StoreFolderTest
{
    private static readonly PersistenceOptions NeverByTimer = StoreFolder.Fast with { FlushInterval = TimeSpan.FromHours(1), AliveInterval = TimeSpan.FromHours(1) };
    [Test]
    public async Task Graceful_stop_commits_every_change_handed_over_however_long_the_flush_interval()
    {
        var store = Folder.Open(NeverByTimer);
        await store.LoadAsync(CancellationToken.None);
        for (var i = 0; i < 20_000; i++)
        {
            store.SetRetained(Messages.Plain($"r/{i}", i.ToString()));
        }
        for (var i = 0; i < 100; i++)
        {
            store.SaveSession(new StoredSession($"s{i}", 600, DateTimeOffset.UtcNow, null));
            store.SaveSubscription($"s{i}", new MqttTopicSubscription("r/#", MqttQualityOfService.AtLeastOnce));
            for (var q = 1; q <= 100; q++)
                store.SaveDelivery($"s{i}", new StoredDelivery(q, Messages.Plain("r/x", "q"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
        }
        Assert.That(store.Statistics.Commits, Is.Zero, "nothing written before the stop");
        await store.DisposeAsync();

        var state = await Folder.Open().LoadAsync(CancellationToken.None);
        Assert.That(state.Retained, Has.Count.EqualTo(20_000));
        Assert.That(state.Sessions, Has.Count.EqualTo(100));
        Assert.That(state.Sessions.Sum(s => s.Deliveries.Count), Is.EqualTo(10_000));
        Assert.That(File.Exists(Folder.Path + "-wal") ? new FileInfo(Folder.Path + "-wal").Length : 0, Is.Zero, "checkpointed: the file stands alone");
    }

    [Test]
    public async Task StopAsync_commits_what_was_handed_over_and_the_store_still_takes_changes_until_disposed()
    {
        var store = Folder.Open(NeverByTimer);
        await store.StartAsync(CancellationToken.None);
        store.SetRetained(Messages.Plain("before", "stop"));
        await store.StopAsync(CancellationToken.None);
        Assert.That(Folder.Count("SELECT count(*) FROM retained"), Is.EqualTo(1));

        store.SaveSession(new StoredSession("saved-during-shutdown", 60, DateTimeOffset.UtcNow, null));
        await store.DisposeAsync();
        var state = await Folder.Open().LoadAsync(CancellationToken.None);
        Assert.That(state.Sessions.Single().Session.ClientId, Is.EqualTo("saved-during-shutdown"));
    }

    [Test]
    public async Task FlushedAsync_completes_once_the_change_is_committed_without_waiting_for_the_interval()
    {
        var store = Folder.Open(NeverByTimer);
        await store.LoadAsync(CancellationToken.None);
        store.SetRetained(Messages.Plain("durable", "1"));
        Assert.That(Folder.Count("SELECT count(*) FROM retained"), Is.Zero);
        var clock = Stopwatch.StartNew();
        await store.FlushedAsync();
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(Folder.Count("SELECT count(*) FROM retained"), Is.EqualTo(1), "visible to another connection: committed");
        Assert.That(store.Statistics.LastCommitAt, Is.Not.Null);
    }

    [Test]
    public async Task Changes_are_committed_within_the_flush_interval_without_anyone_waiting()
    {
        var store = Folder.Open(StoreFolder.Fast with { FlushInterval = TimeSpan.FromMilliseconds(200) });
        await store.LoadAsync(CancellationToken.None);
        store.SetRetained(Messages.Plain("timer", "1"));
        var clock = Stopwatch.StartNew();
        while (Folder.Count("SELECT count(*) FROM retained") == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
        Assert.That(Folder.Count("SELECT count(*) FROM retained"), Is.EqualTo(1));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Idle_store_still_commits_its_last_alive_time_every_alive_interval()
    {
        var store = Folder.Open(StoreFolder.Fast with { FlushInterval = TimeSpan.FromMilliseconds(50), AliveInterval = TimeSpan.FromMilliseconds(100) });
        await store.LoadAsync(CancellationToken.None);
        await Task.Delay(800);
        Assert.That(store.Statistics.Commits, Is.InRange(3, 20));
        var lastAlive = Folder.Count("SELECT value FROM store_meta WHERE key = 'last_alive'");
        Assert.That(DateTimeOffset.UtcNow - new DateTimeOffset(lastAlive + DateTime.UnixEpoch.Ticks, TimeSpan.Zero), Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Changes_from_many_threads_at_once_are_all_committed()
    {
        var store = Folder.Open();
        await store.LoadAsync(CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                store.SetRetained(Messages.Plain($"t{t}/{i}", "x"));
                if (i % 1000 == 0) await store.FlushedAsync();
            }
            await store.FlushedAsync();
        })));
        Assert.That(Folder.Count("SELECT count(*) FROM retained"), Is.EqualTo(40_000));
        Assert.That(store.Statistics.PendingChanges, Is.Zero);
        Assert.That(store.Statistics.PendingBytes, Is.Zero);
        Assert.That(store.Statistics.FileBytes, Is.GreaterThan(0));
    }

    [Test]
    public async Task Change_handed_over_after_disposal_is_counted_as_dropped_and_flush_faults()
    {
        var store = Folder.Open();
        await store.LoadAsync(CancellationToken.None);
        await store.DisposeAsync();
        store.SetRetained(Messages.Plain("late", "x"));
        store.DeleteSession("late");
        Assert.That(store.Statistics.DroppedChanges, Is.EqualTo(2));
        await Assert.ThrowsAsync<StoreNotDurableException>(() => store.FlushedAsync());
        Assert.That(Folder.Log.Lines.Count(l => l.Text.Contains("after the store closed", StringComparison.Ordinal)), Is.EqualTo(1), "said once");
    }

    [Test]
    public async Task Disposing_twice_or_without_starting_is_harmless()
    {
        var never = Folder.Open();
        await never.DisposeAsync();
        var store = Folder.Open();
        await store.LoadAsync(CancellationToken.None);
        await store.DisposeAsync();
        await store.DisposeAsync();
        Assert.That(File.Exists(Folder.Path));
    }
}

using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>What coalescing and message sharing leave in the file.</summary>
public sealed class SharingAndCoalescingOnDiskTests : StoreFolderTest
{
    [Test]
    public async Task Message_queued_for_many_sessions_in_one_batch_is_stored_once()
    {
        var store = Folder.Open(StoreFolder.Fast with { FlushInterval = TimeSpan.FromSeconds(30) });
        await store.LoadAsync(CancellationToken.None);
        var message = Messages.Full("fan/out", new byte[10_000]);
        for (var i = 0; i < 100; i++)
        {
            store.SaveSession(new StoredSession($"s{i}", 600, null, null));
            store.SaveDelivery($"s{i}", new StoredDelivery(1, message, MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
        }
        await store.FlushedAsync();
        Assert.That(Folder.Count("SELECT count(*) FROM deliveries"), Is.EqualTo(100));
        Assert.That(Folder.Count("SELECT count(*) FROM messages"), Is.EqualTo(1));

        for (var i = 0; i < 99; i++) store.DeleteDelivery($"s{i}", 1);
        await store.FlushedAsync();
        Assert.That(Folder.Count("SELECT count(*) FROM messages"), Is.EqualTo(1), "still referenced by s99");
        store.DeleteSession("s99");
        await store.FlushedAsync();
        Assert.That(Folder.Count("SELECT count(*) FROM messages"), Is.Zero, "gone with its last delivery");
    }

    [Test]
    public async Task Delivery_saved_and_acknowledged_before_a_commit_is_never_written()
    {
        var store = Folder.Open(StoreFolder.Fast with { FlushInterval = TimeSpan.FromSeconds(30) });
        await store.LoadAsync(CancellationToken.None);
        store.SaveSession(new StoredSession("c", 600, null, null));
        for (var sequence = 1; sequence <= 1000; sequence++)
        {
            store.SaveDelivery("c", new StoredDelivery(sequence, Messages.Plain("t", "x"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
            store.UpdateDelivery("c", sequence, (ushort)sequence, StoredDeliveryState.AwaitingPubAck);
            store.DeleteDelivery("c", sequence);
        }
        await store.FlushedAsync();
        Assert.That(Folder.Count("SELECT count(*) FROM deliveries"), Is.Zero);
        Assert.That(Folder.Count("SELECT count(*) FROM messages"), Is.Zero);
        Assert.That(Folder.Count("SELECT max(id) IS NULL FROM messages"), Is.EqualTo(1), "no message row was ever inserted");
        Assert.That(store.Statistics.ChangesCommitted, Is.EqualTo(3001));
        Assert.That(store.Statistics.Commits, Is.LessThanOrEqualTo(2), "the flush waiter shared one commit with everything before it");
    }
}

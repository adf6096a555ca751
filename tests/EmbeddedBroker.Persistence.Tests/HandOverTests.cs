using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>The engine's side: handing a change over costs no allocation and never throws.</summary>
public sealed class HandOverTests
{
    [Test]
    public async Task Handing_changes_over_allocates_nothing_once_the_queue_has_grown_to_the_backlog()
    {
        await using var folder = new StoreFolder();
        var store = folder.Open(StoreFolder.Fast with { FlushInterval = TimeSpan.FromHours(1), AliveInterval = TimeSpan.FromHours(1) });
        await store.LoadAsync(CancellationToken.None);
        var message = Messages.Full("alloc/test");
        var delivery = new StoredDelivery(1, message, MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued);
        var subscription = new MqttTopicSubscription("alloc/#", MqttQualityOfService.AtLeastOnce);
        void HandOver(int n)
        {
            for (var i = 0; i < n; i++)
            {
                store.SaveDelivery("client", delivery);
                store.UpdateDelivery("client", 1, 7, StoredDeliveryState.AwaitingPubAck);
                store.DeleteDelivery("client", 1);
                store.SetRetained(message);
                store.SaveSubscription("client", subscription);
            }
        }

        // The queue's ring segments grow to the largest backlog once; warm up beyond the measured backlog.
        HandOver(40_000);
        await store.FlushedAsync();
        var before = GC.GetAllocatedBytesForCurrentThread();
        HandOver(20_000);
        var perChange = (GC.GetAllocatedBytesForCurrentThread() - before) / 100_000.0;
        TestContext.Out.WriteLine($"{perChange:F2} bytes allocated per change handed over");
        Assert.That(perChange, Is.LessThan(1.0));
        await store.FlushedAsync();
        Assert.That(store.Statistics.PendingChanges, Is.Zero);
    }
}

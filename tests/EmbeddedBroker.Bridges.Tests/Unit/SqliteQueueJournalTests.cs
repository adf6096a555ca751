using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Queue;
using EmbeddedBroker.Bridges.Statistics;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Bridges.Tests.Unit;

public sealed class SqliteQueueJournalTests
{
    [Test]
    public async Task Unacknowledged_messages_come_back_after_a_restart_in_order_and_acknowledged_ones_do_not()
    {
        using var folder = new TempFolder("eb-bridge-queue-");
        var path = folder.Combine("bridge-central.db");
        var journal = new SqliteQueueJournal(path, "normal", NullLogger.Instance);
        var queue = new OutboundQueue(new BridgeQueueOptions(), journal, new BridgeStatistics("central"), journal.Load());
        var kept = new List<Task>();
        for (var i = 0; i < 100; i++)
        {
            queue.TryEnqueue($"t/{i}", new[] { (byte)i }, MqttQualityOfService.AtLeastOnce, retain: i == 7, out var k);
            kept.Add(k!);
        }

        await Task.WhenAll(kept).WaitAsync(TimeSpan.FromSeconds(10));
        var generation = queue.Rewind();
        for (var i = 0; i < 40; i++)
        {
            queue.Complete(queue.TakeNext(generation, 100)!, generation);
        }

        await journal.DisposeAsync(); // writes the last deletes

        var reopened = new SqliteQueueJournal(path, "normal", NullLogger.Instance);
        try
        {
            var restored = reopened.Load();
            Assert.That(restored.Select(m => m.Topic), Is.EqualTo(Enumerable.Range(40, 60).Select(i => $"t/{i}")));
            Assert.That(restored[0].Payload.ToArray(), Is.EqualTo(new byte[] { 40 }));
            Assert.That(restored.Count(m => m.Retain), Is.Zero, "t/7 (retained) was acknowledged");
            var next = new OutboundQueue(new BridgeQueueOptions(), reopened, new BridgeStatistics("central"), restored);
            next.TryEnqueue("t/new", new byte[1], MqttQualityOfService.AtLeastOnce, false, out _);
            var g = next.Rewind();
            Assert.That(next.TakeNext(g, 1)!.Topic, Is.EqualTo("t/40"), "restored messages go first");
            Assert.That(restored[^1].Sequence, Is.LessThan(Enumerable.Range(0, 61).Select(_ => next.TakeNext(g, 100)).Last(m => m is not null)!.Sequence),
                "new sequence numbers continue after the restored ones");
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }

    [Test]
    public async Task A_save_after_the_journal_closed_faults_instead_of_hanging()
    {
        using var folder = new TempFolder("eb-bridge-queue-");
        var journal = new SqliteQueueJournal(folder.Combine("q.db"), "full", NullLogger.Instance);
        journal.Load();
        await journal.DisposeAsync();

        var save = journal.Save(new QueuedMessage(1, "t", new byte[1], MqttQualityOfService.AtLeastOnce, false));

        Assert.That(save.IsFaulted, Is.True);
    }
}

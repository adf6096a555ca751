using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Queue;
using EmbeddedBroker.Bridges.Statistics;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Unit;

public sealed class OutboundQueueTests
{
    private const MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;

    [Test]
    public void Messages_are_sent_in_order_within_the_window_and_leave_when_acknowledged_MQTT_4_6_0_1()
    {
        var (queue, statistics, _) = NewQueue();
        for (var i = 0; i < 5; i++)
        {
            Assert.That(queue.TryEnqueue($"t/{i}", new byte[10], Qos1, false, out _), Is.True);
        }

        var generation = queue.Rewind();
        var first = queue.TakeNext(generation, window: 2)!;
        var second = queue.TakeNext(generation, window: 2)!;
        Assert.That(queue.TakeNext(generation, window: 2), Is.Null, "the window is full");
        Assert.That((first.Topic, second.Topic), Is.EqualTo(("t/0", "t/1")));

        queue.Complete(first, generation);
        Assert.That(queue.TakeNext(generation, window: 2)!.Topic, Is.EqualTo("t/2"));
        Assert.That(queue.Count, Is.EqualTo(4));
        Assert.That(statistics.QueueMessages, Is.EqualTo(4));
    }

    [Test]
    public void A_new_connection_sends_every_unacknowledged_message_again_from_the_head_MQTT_4_4_0_1()
    {
        var (queue, _, _) = NewQueue();
        queue.TryEnqueue("t/0", new byte[1], Qos1, false, out _);
        queue.TryEnqueue("t/1", new byte[1], Qos1, false, out _);
        var old = queue.Rewind();
        var zero = queue.TakeNext(old, 10)!;
        var one = queue.TakeNext(old, 10)!;
        queue.Complete(one, old);

        var next = queue.Rewind();
        queue.Abandon(old); // the old connection's send of t/0 failed after the rewind: it must not free the new window
        Assert.That(queue.TakeNext(next, 1), Is.SameAs(zero));
        Assert.That(queue.TakeNext(next, 1), Is.Null, "window of 1 in use by the resend");
        Assert.That(queue.TakeNext(old, 10), Is.Null, "a stale connection takes nothing");
    }

    [Test]
    public void Overflow_drops_the_new_message_and_counts_it_by_messages_and_by_bytes()
    {
        var (queue, statistics, _) = NewQueue(new BridgeQueueOptions { MaxMessages = 2, MaxBytes = 10_000 });
        Assert.That(queue.TryEnqueue("a", new byte[1], Qos1, false, out _), Is.True);
        Assert.That(queue.TryEnqueue("b", new byte[1], Qos1, false, out _), Is.True);
        Assert.That(queue.TryEnqueue("c", new byte[1], Qos1, false, out _), Is.False, "MaxMessages");

        var (bytesQueue, bytesStatistics, _) = NewQueue(new BridgeQueueOptions { MaxMessages = 100, MaxBytes = 2_000 });
        Assert.That(bytesQueue.TryEnqueue("a", new byte[1_000], Qos1, false, out _), Is.True);
        Assert.That(bytesQueue.TryEnqueue("b", new byte[1_000], Qos1, false, out _), Is.False, "MaxBytes");

        Assert.That((statistics.Dropped, bytesStatistics.Dropped), Is.EqualTo((1L, 1L)));
        Assert.That(bytesStatistics.QueueBytes, Is.LessThanOrEqualTo(2_000));
    }

    [Test]
    public void Only_qos_1_and_2_are_journaled_and_an_acknowledgement_deletes_them()
    {
        var (queue, _, journal) = NewQueue();
        queue.TryEnqueue("q0", new byte[1], MqttQualityOfService.AtMostOnce, false, out var keptQos0);
        queue.TryEnqueue("q1", new byte[1], Qos1, true, out var keptQos1);
        Assert.That(keptQos0, Is.Null);
        Assert.That(keptQos1, Is.Not.Null);
        Assert.That(journal.Saved.Select(m => m.Topic), Is.EqualTo(new[] { "q1" }));

        var generation = queue.Rewind();
        queue.Complete(queue.TakeNext(generation, 10)!, generation);
        var q1 = queue.TakeNext(generation, 10)!;
        queue.Complete(q1, generation);
        Assert.That(journal.Deleted, Is.EqualTo(new[] { q1.Sequence }));
    }

    private static (OutboundQueue Queue, BridgeStatistics Statistics, RecordingJournal Journal) NewQueue(BridgeQueueOptions? limits = null)
    {
        var statistics = new BridgeStatistics("test");
        var journal = new RecordingJournal();
        return (new OutboundQueue(limits ?? new BridgeQueueOptions(), journal, statistics, []), statistics, journal);
    }

    private sealed class RecordingJournal : IQueueJournal
    {
        public List<QueuedMessage> Saved { get; } = [];
        public List<long> Deleted { get; } = [];

        public IReadOnlyList<QueuedMessage> Load() => [];

        public Task Save(QueuedMessage message)
        {
            Saved.Add(message);
            return Task.CompletedTask;
        }

        public void Delete(long sequence) => Deleted.Add(sequence);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

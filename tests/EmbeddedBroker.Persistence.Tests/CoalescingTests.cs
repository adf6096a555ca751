using EmbeddedBroker.Persistence.Sqlite.Changes;
using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>What the writer makes of many changes within one batch, and what that leaves charged to the buffer.</summary>
public sealed class CoalescingTests
{
    private ChangeBuffer buffer = null!;
    private ChangeBatch batch = null!;

    [SetUp]
    public void SetUp()
    {
        buffer = new ChangeBuffer(1_000_000, 1L << 30, () => { }, () => { });
        batch = new ChangeBatch(buffer);
    }

    private void Take(params StoreChange[] changes)
    {
        foreach (var change in changes)
        {
            Assert.That(buffer.TryAdd(change), Is.True);
            Assert.That(buffer.TryTake(out var taken), Is.True);
            batch.Add(taken);
        }
    }

    private static StoredDelivery Delivery(long sequence, MqttApplicationMessage? message = null) =>
        new(sequence, message ?? Messages.Plain("t", "x"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued);

    [Test]
    public void Delivery_saved_and_deleted_in_one_batch_cancels_out_and_releases_its_charge()
    {
        Take(StoreChange.SaveDelivery("c", Delivery(1)), StoreChange.UpdateDelivery("c", 1, 5, StoredDeliveryState.AwaitingPubAck),
            StoreChange.DeleteDelivery("c", 1));
        Assert.That(batch.Sessions["c"].Deliveries, Is.Empty);
        Assert.That(batch.ChangesTaken, Is.EqualTo(3), "all three count as made durable by the commit");
        Assert.That(buffer.Changes, Is.Zero);
        Assert.That(buffer.Bytes, Is.Zero);
    }

    [Test]
    public void Update_after_save_is_folded_into_the_row_to_insert()
    {
        Take(StoreChange.SaveDelivery("c", Delivery(1)), StoreChange.UpdateDelivery("c", 1, 5, StoredDeliveryState.AwaitingPubRec),
            StoreChange.UpdateDelivery("c", 1, 5, StoredDeliveryState.AwaitingPubComp));
        var change = batch.Sessions["c"].Deliveries[1];
        Assert.That((change.Saved!.PacketId, change.Saved.State, change.Updated), Is.EqualTo(((ushort)5, StoredDeliveryState.AwaitingPubComp, false)));
        Assert.That(buffer.Changes, Is.EqualTo(1), "only the save stays charged");
    }

    [Test]
    public void Delete_then_save_then_delete_of_one_sequence_still_deletes_the_stored_row()
    {
        Take(StoreChange.DeleteDelivery("c", 1), StoreChange.SaveDelivery("c", Delivery(1)), StoreChange.DeleteDelivery("c", 1));
        Assert.That(batch.Sessions["c"].Deliveries[1].Deleted, Is.True);
    }

    [Test]
    public void Update_of_a_delivery_saved_in_an_earlier_batch_stays_an_update_and_the_last_one_wins()
    {
        Take(StoreChange.UpdateDelivery("c", 4, 1, StoredDeliveryState.AwaitingPubRec), StoreChange.UpdateDelivery("c", 4, 1, StoredDeliveryState.AwaitingPubComp));
        var change = batch.Sessions["c"].Deliveries[4];
        Assert.That((change.Updated, change.Saved, change.State), Is.EqualTo((true, (StoredDelivery?)null, StoredDeliveryState.AwaitingPubComp)));
        Assert.That(buffer.Changes, Is.EqualTo(1));
    }

    [Test]
    public void Repeated_retained_changes_of_one_topic_keep_the_last_MQTT_3_3_1_5()
    {
        var last = Messages.Plain("t", "3");
        Take(StoreChange.SetRetained(Messages.Plain("t", "1")), StoreChange.ClearRetained("t"), StoreChange.SetRetained(Messages.Plain("t", "2")),
            StoreChange.SetRetained(last), StoreChange.SetRetained(Messages.Plain("other", "o")));
        Assert.That(batch.Retained["t"].Value, Is.SameAs(last));
        Assert.That(batch.Retained, Has.Count.EqualTo(2));
        Assert.That(buffer.Changes, Is.EqualTo(2));
        Assert.That(buffer.Bytes, Is.EqualTo(ChangeSize.Of(last) + ChangeSize.Of(Messages.Plain("other", "o"))));
    }

    [Test]
    public void Retained_clear_after_set_is_a_clear()
    {
        Take(StoreChange.SetRetained(Messages.Plain("t", "1")), StoreChange.ClearRetained("t"));
        Assert.That(batch.Retained["t"].Value, Is.Null);
    }

    [Test]
    public void Deleted_session_drops_its_pending_changes_and_is_written_first_before_what_follows()
    {
        Take(StoreChange.SaveSession(new StoredSession("c", 60, null, null)),
            StoreChange.SaveSubscription("c", new MqttTopicSubscription("a", MqttQualityOfService.AtLeastOnce)),
            StoreChange.SaveDelivery("c", Delivery(1)), StoreChange.SaveIncomingQos2("c", 3),
            StoreChange.SaveWill("c", new StoredWill(Messages.Plain("w", "w"), DateTimeOffset.UtcNow, null)),
            StoreChange.DeleteSession("c"),
            StoreChange.SaveSession(new StoredSession("c", 120, null, "new")));
        var session = batch.Sessions["c"];
        Assert.That(session.Wiped, Is.True);
        Assert.That(session.Session!.Value.Value.Username, Is.EqualTo("new"));
        Assert.That(session.Subscriptions, Is.Empty);
        Assert.That(session.Deliveries, Is.Empty);
        Assert.That(session.IncomingQos2, Is.Empty);
        Assert.That(session.Will, Is.Null);
        Assert.That(buffer.Changes, Is.EqualTo(2), "the deletion and the new session");
    }

    [Test]
    public void Last_subscription_change_per_filter_and_last_QoS2_change_per_packet_id_win()
    {
        var second = new MqttTopicSubscription("a", MqttQualityOfService.ExactlyOnce);
        Take(StoreChange.SaveSubscription("c", new MqttTopicSubscription("a", MqttQualityOfService.AtLeastOnce)), StoreChange.SaveSubscription("c", second),
            StoreChange.SaveSubscription("c", new MqttTopicSubscription("b", MqttQualityOfService.AtLeastOnce)), StoreChange.DeleteSubscription("c", "b"),
            StoreChange.SaveIncomingQos2("c", 1), StoreChange.DeleteIncomingQos2("c", 1), StoreChange.SaveIncomingQos2("c", 1),
            StoreChange.SaveIncomingQos2("c", 2), StoreChange.DeleteIncomingQos2("c", 2));
        var session = batch.Sessions["c"];
        Assert.That(session.Subscriptions["a"].Value, Is.SameAs(second));
        Assert.That(session.Subscriptions["b"].Value, Is.Null);
        Assert.That(session.IncomingQos2[1].Value, Is.True);
        Assert.That(session.IncomingQos2[2].Value, Is.False, "a delete reaches the file: an earlier batch may have stored the id");
    }

    [Test]
    public void Clearing_the_batch_after_its_commit_releases_everything_it_held()
    {
        Take(StoreChange.SaveSession(new StoredSession("c", 60, null, null)), StoreChange.SaveDelivery("c", Delivery(1)),
            StoreChange.SetRetained(Messages.Full("r")), StoreChange.Barrier(new FlushBarrier(0)));
        Assert.That(buffer.Changes, Is.EqualTo(4));
        batch.Clear();
        Assert.That((buffer.Changes, buffer.Bytes), Is.EqualTo((0L, 0L)));
        Assert.That(batch.IsEmpty, Is.True);
    }
}

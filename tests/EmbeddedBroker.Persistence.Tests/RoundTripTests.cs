using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>Every kind of change, written through one store, stopped gracefully, and loaded by another.</summary>
public sealed class RoundTripTests : StoreFolderTest
{
    [Test]
    public async Task A_new_store_loads_empty()
    {
        var store = Folder.Open();
        var state = await store.LoadAsync(CancellationToken.None);
        Assert.That(state.Retained, Is.Empty);
        Assert.That(state.Sessions, Is.Empty);
        Assert.That(File.Exists(Folder.Path), "the file is created at start");
    }

    [Test]
    public async Task Retained_message_keeps_payload_origin_time_and_every_MQTT5_publication_property_MQTT_3_3_2_3()
    {
        var message = Messages.Full("home/kitchen/temperature");
        var state = await Folder.RoundTripAsync(store => store.SetRetained(message));
        Assert.That(state.Retained, Has.Count.EqualTo(1));
        Messages.AssertSame(message, state.Retained[0]);
    }

    [Test]
    public async Task Message_without_properties_loads_with_empty_properties_and_empty_payload_stays_empty()
    {
        var message = new MqttApplicationMessage { Topic = "a/b", Payload = ReadOnlyMemory<byte>.Empty, Source = MessageSource.System };
        var state = await Folder.RoundTripAsync(store => store.SetRetained(message));
        Assert.That(state.Retained[0].Properties, Is.SameAs(MqttProperties.Empty));
        Messages.AssertSame(message, state.Retained[0]);
    }

    [Test]
    public async Task Payload_that_is_a_slice_of_a_larger_array_is_stored_as_the_slice()
    {
        var backing = new byte[] { 1, 2, 3, 4, 5, 6 };
        var state = await Folder.RoundTripAsync(store =>
        {
            store.SetRetained(new MqttApplicationMessage { Topic = "head", Payload = backing.AsMemory(0, 2) });
            store.SetRetained(new MqttApplicationMessage { Topic = "middle", Payload = backing.AsMemory(2, 3) });
        });
        var byTopic = state.Retained.ToDictionary(m => m.Topic, m => m.Payload.ToArray());
        Assert.That(byTopic["head"], Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(byTopic["middle"], Is.EqualTo(new byte[] { 3, 4, 5 }));
    }

    [Test]
    public async Task Retained_message_replaced_in_a_later_batch_loads_the_replacement_and_cleared_one_is_gone_MQTT_3_3_1_10()
    {
        var writer = Folder.Open();
        await writer.LoadAsync(CancellationToken.None);
        writer.SetRetained(Messages.Plain("t/1", "old"));
        writer.SetRetained(Messages.Plain("t/2", "kept"));
        writer.SetRetained(Messages.Plain("t/3", "cleared later"));
        await writer.FlushedAsync();
        writer.SetRetained(Messages.Plain("t/1", "new"));
        writer.ClearRetained("t/3");
        await writer.DisposeAsync();

        var state = await Folder.Open().LoadAsync(CancellationToken.None);
        Assert.That(state.Retained.ToDictionary(m => m.Topic, m => m.Text()),
            Is.EquivalentTo(new Dictionary<string, string> { ["t/1"] = "new", ["t/2"] = "kept" }));
    }

    [Test]
    public async Task Session_keeps_expiry_username_disconnection_time_and_subscriptions_with_all_options_and_identifier_MQTT_3_8_3_1()
    {
        var disconnectedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(42);
        MqttTopicSubscription[] subscriptions =
        [
            new("sensors/+/temp", MqttQualityOfService.AtLeastOnce),
            new("cmd/#", MqttQualityOfService.ExactlyOnce, NoLocal: true, RetainAsPublished: true, MqttRetainHandling.DoNotSend, SubscriptionIdentifier: 268_435_455),
            new("$share/g/x", MqttQualityOfService.AtMostOnce, RetainHandling: MqttRetainHandling.SendAtSubscribeIfNew, SubscriptionIdentifier: 1),
        ];
        var state = await Folder.RoundTripAsync(store =>
        {
            store.SaveSession(new StoredSession("client-ä", uint.MaxValue, disconnectedAt, "alice"));
            foreach (var subscription in subscriptions) store.SaveSubscription("client-ä", subscription);
            store.SaveSubscription("client-ä", new MqttTopicSubscription("removed/#", MqttQualityOfService.AtLeastOnce));
            store.DeleteSubscription("client-ä", "removed/#");
        });
        var session = state.Sessions.Single();
        Assert.That(session.Session, Is.EqualTo(new StoredSession("client-ä", uint.MaxValue, disconnectedAt, "alice")));
        Assert.That(session.Subscriptions, Is.EquivalentTo(subscriptions));
    }

    [Test]
    public async Task Deliveries_load_in_sequence_order_with_packet_id_state_qos_and_retain_MQTT_4_6_0_1()
    {
        var m1 = Messages.Full("q/1");
        var m2 = Messages.Plain("q/2", "two");
        var state = await Folder.RoundTripAsync(store =>
        {
            store.SaveSession(new StoredSession("c", 600, null, null));
            store.SaveDelivery("c", new StoredDelivery(30, m2, MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
            store.SaveDelivery("c", new StoredDelivery(10, m1, MqttQualityOfService.ExactlyOnce, true, 0, StoredDeliveryState.Queued));
            store.SaveDelivery("c", new StoredDelivery(20, m2, MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
            store.UpdateDelivery("c", 10, 7, StoredDeliveryState.AwaitingPubRec);
            store.UpdateDelivery("c", 10, 7, StoredDeliveryState.AwaitingPubComp);
            store.UpdateDelivery("c", 20, 8, StoredDeliveryState.AwaitingPubAck);
        });
        var deliveries = state.Sessions.Single().Deliveries;
        Assert.That(deliveries.Select(d => d.Sequence), Is.EqualTo(new long[] { 10, 20, 30 }));
        Assert.That(deliveries.Select(d => (d.PacketId, d.State)), Is.EqualTo(new[]
        {
            ((ushort)7, StoredDeliveryState.AwaitingPubComp), ((ushort)8, StoredDeliveryState.AwaitingPubAck), ((ushort)0, StoredDeliveryState.Queued),
        }));
        Assert.That(deliveries.Select(d => (d.Qos, d.Retain)), Is.EqualTo(new[]
        {
            (MqttQualityOfService.ExactlyOnce, true), (MqttQualityOfService.AtLeastOnce, false), (MqttQualityOfService.AtLeastOnce, false),
        }));
        Messages.AssertSame(m1, deliveries[0].Message);
        Assert.That(deliveries[1].Message, Is.SameAs(deliveries[2].Message), "one stored message, shared again at load");
    }

    [Test]
    public async Task Delivery_updated_in_a_later_batch_and_delivery_deleted_in_a_later_batch_are_written_as_such()
    {
        var writer = Folder.Open();
        await writer.LoadAsync(CancellationToken.None);
        writer.SaveSession(new StoredSession("c", 60, null, null));
        writer.SaveDelivery("c", new StoredDelivery(1, Messages.Plain("a", "1"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
        writer.SaveDelivery("c", new StoredDelivery(2, Messages.Plain("a", "2"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
        await writer.FlushedAsync();
        writer.UpdateDelivery("c", 1, 99, StoredDeliveryState.AwaitingPubAck);
        writer.DeleteDelivery("c", 2);
        await writer.DisposeAsync();

        var delivery = (await Folder.Open().LoadAsync(CancellationToken.None)).Sessions.Single().Deliveries.Single();
        Assert.That((delivery.Sequence, delivery.PacketId, delivery.State), Is.EqualTo((1L, (ushort)99, StoredDeliveryState.AwaitingPubAck)));
        Assert.That(Folder.Count("SELECT count(*) FROM messages"), Is.EqualTo(1), "the deleted delivery's message went with it");
    }

    [Test]
    public async Task Incoming_QoS2_packet_ids_awaiting_PUBREL_survive_and_released_ones_do_not_MQTT_4_3_3_2()
    {
        var state = await Folder.RoundTripAsync(store =>
        {
            store.SaveSession(new StoredSession("c", 60, null, null));
            store.SaveIncomingQos2("c", 5);
            store.SaveIncomingQos2("c", 65535);
            store.SaveIncomingQos2("c", 6);
            store.DeleteIncomingQos2("c", 6);
        });
        Assert.That(state.Sessions.Single().IncomingQos2, Is.EqualTo(new ushort[] { 5, 65535 }));
    }

    [Test]
    public async Task Will_keeps_its_message_due_time_and_username_MQTT_3_1_3_9()
    {
        var due = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(3);
        var will = new StoredWill(Messages.Full("clients/c/status", "offline"u8.ToArray()), due, "bob");
        var state = await Folder.RoundTripAsync(store =>
        {
            store.SaveSession(new StoredSession("c", 60, null, "bob"));
            store.SaveWill("c", will);
            store.SaveSession(new StoredSession("d", 60, null, null));
            store.SaveWill("d", will);
            store.DeleteWill("d");
        });
        var sessions = state.Sessions.ToDictionary(s => s.Session.ClientId);
        Assert.That(sessions["d"].Will, Is.Null);
        var loaded = sessions["c"].Will!;
        Assert.That((loaded.DueAt, loaded.Username), Is.EqualTo((due, "bob")));
        Messages.AssertSame(will.Message, loaded.Message);
    }

    [Test]
    public async Task Deleted_session_loses_subscriptions_deliveries_QoS2_state_and_will_and_a_new_one_with_its_id_starts_clean()
    {
        var writer = Folder.Open();
        await writer.LoadAsync(CancellationToken.None);
        writer.SaveSession(new StoredSession("c", 60, null, null));
        writer.SaveSubscription("c", new MqttTopicSubscription("a/#", MqttQualityOfService.AtLeastOnce));
        writer.SaveDelivery("c", new StoredDelivery(1, Messages.Plain("a/1", "x"), MqttQualityOfService.AtLeastOnce, false, 0, StoredDeliveryState.Queued));
        writer.SaveIncomingQos2("c", 9);
        writer.SaveWill("c", new StoredWill(Messages.Plain("w", "w"), DateTimeOffset.UtcNow, null));
        await writer.FlushedAsync();
        writer.DeleteSession("c");
        writer.SaveSession(new StoredSession("c", 120, null, "again"));
        writer.SaveSubscription("c", new MqttTopicSubscription("b", MqttQualityOfService.AtMostOnce));
        await writer.DisposeAsync();

        var session = (await Folder.Open().LoadAsync(CancellationToken.None)).Sessions.Single();
        Assert.That(session.Session.Username, Is.EqualTo("again"));
        Assert.That(session.Subscriptions.Select(s => s.TopicFilter), Is.EqualTo(new[] { "b" }));
        Assert.That(session.Deliveries, Is.Empty);
        Assert.That(session.IncomingQos2, Is.Empty);
        Assert.That(session.Will, Is.Null);
        Assert.That(Folder.Count("SELECT count(*) FROM messages"), Is.Zero);
    }

    [Test]
    public async Task Session_stored_while_online_loads_as_disconnected_at_the_last_commit_so_time_stopped_counts_MQTT_3_1_2_11()
    {
        var writer = Folder.Open();
        await writer.LoadAsync(CancellationToken.None);
        writer.SaveSession(new StoredSession("online", 3600, null, null));
        await writer.FlushedAsync();
        var lastCommit = writer.Statistics.LastCommitAt!.Value;
        await writer.DisposeAsync();
        var stoppedAt = DateTimeOffset.UtcNow;

        var session = (await Folder.Open().LoadAsync(CancellationToken.None)).Sessions.Single().Session;
        Assert.That(session.DisconnectedAt, Is.Not.Null);
        Assert.That(session.DisconnectedAt!.Value, Is.GreaterThanOrEqualTo(lastCommit).And.LessThanOrEqualTo(stoppedAt),
            "the store's last alive time (its final commit at stop), not the time of loading");
    }

    [Test]
    public async Task Store_with_synchronous_full_writes_and_loads_the_same()
    {
        var writer = Folder.Open(StoreFolder.Fast with { Synchronous = "Full" });
        await writer.LoadAsync(CancellationToken.None);
        writer.SetRetained(Messages.Full("sync/full"));
        await writer.FlushedAsync();
        await writer.DisposeAsync();
        Messages.AssertSame(Messages.Full("sync/full"), (await Folder.Open().LoadAsync(CancellationToken.None)).Retained.Single());
    }

    [Test]
    public async Task Second_load_reads_the_committed_file_again()
    {
        var store = Folder.Open();
        Assert.That((await store.LoadAsync(CancellationToken.None)).Retained, Is.Empty);
        store.SetRetained(Messages.Plain("x", "1"));
        await store.FlushedAsync();
        Assert.That((await store.LoadAsync(CancellationToken.None)).Retained.Single().Text(), Is.EqualTo("1"));
    }
}

using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// What the engine journals to its store and rebuilds from it: a broker stopped and another started on the same
/// store go on where the first left off (retained messages, persistent sessions, queued and in-flight messages,
/// QoS 2 state, delayed wills). The SQLite store's own durability is tested in EmbeddedBroker.Persistence.Tests.
/// </summary>
internal sealed class RestartTests : BrokerScenario
{
    private InMemoryBrokerStore _store = new();

    protected override MqttBrokerHooks Hooks
    {
        get
        {
            _store = new InMemoryBrokerStore();
            return new MqttBrokerHooks { Store = _store };
        }
    }

    /// <summary>Stops the broker and starts a new one on the same store (clients of the old one are closed).</summary>
    private async Task RestartOnSameStoreAsync()
    {
        await DisposeClientsAsync();
        await Broker.DisposeAsync();
        StartWith(Options, new MqttBrokerHooks { Store = _store });
        await Broker.LoadStateAsync(CancellationToken.None);
    }

    [Test]
    public async Task Retained_messages_survive_a_restart_and_a_cleared_one_stays_cleared_MQTT_3_3_1_5()
    {
        await Broker.PublishAsync(Message("home/door", "open", retain: true));
        await Broker.PublishAsync(Message("home/light", "on", retain: true));
        await Broker.PublishAsync(Message("home/light", "", retain: true));
        await RestartOnSameStoreAsync();

        var subscriber = await ConnectedClientAsync("s");
        await subscriber.SubscribeAsync("home/#");
        var received = await subscriber.ReceivePublishAsync();
        Assert.That((received.Topic, received.Text(), received.Retain), Is.EqualTo(("home/door", "open", true)));
        await subscriber.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task A_persistent_session_resumes_after_a_restart_with_its_subscription_and_queued_messages_MQTT_3_1_2_4()
    {
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await subscriber.DisconnectAsync();
        await Broker.PublishAsync(Message("t", "1", MqttQualityOfService.AtLeastOnce));
        await Broker.PublishAsync(Message("t", "2", MqttQualityOfService.ExactlyOnce));
        await RestartOnSameStoreAsync();

        var back = NewClient();
        Assert.That((await back.ConnectOkAsync("p", cleanSession: false)).SessionPresent, Is.True);
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("1"));
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("2"));
        await Broker.PublishAsync(Message("t", "live"));
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("live"), "the subscription came back too");
    }

    [Test]
    public async Task A_message_in_flight_when_the_broker_stopped_is_sent_again_with_DUP_MQTT_4_4_0_1()
    {
        var subscriber = await ConnectedClientAsync("p", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", "unacked", MqttQualityOfService.AtLeastOnce));
        var first = await subscriber.ReceivePublishAsync(acknowledge: false);
        Assert.That(first.Dup, Is.False);
        await RestartOnSameStoreAsync();

        var back = NewClient();
        await back.ConnectOkAsync("p", cleanSession: false);
        var again = await back.ReceivePublishAsync();
        Assert.That((again.Text(), again.Dup, again.PacketId), Is.EqualTo(("unacked", true, first.PacketId)));
        await back.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task An_interrupted_inbound_QoS_2_flow_completes_exactly_once_after_a_restart_MQTT_4_3_3_2()
    {
        var subscriber = await ConnectedClientAsync("s", cleanSession: false);
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        var publisher = await ConnectedClientAsync("pub", cleanSession: false);
        await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 7, Payload = "once"u8.ToArray() });
        await publisher.ExpectAsync<PubRecPacket>();
        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("once"));
        await RestartOnSameStoreAsync();

        var subscriberBack = NewClient();
        await subscriberBack.ConnectOkAsync("s", cleanSession: false);
        var publisherBack = NewClient();
        await publisherBack.ConnectOkAsync("pub", cleanSession: false);
        // The publisher did not see PUBCOMP: it sends the PUBLISH again (DUP) and then PUBREL.
        await publisherBack.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 7, Dup = true, Payload = "once"u8.ToArray() });
        await publisherBack.ExpectAsync<PubRecPacket>();
        await publisherBack.SendAsync(new PubRelPacket { PacketId = 7 });
        Assert.That((await publisherBack.ExpectAsync<PubCompPacket>()).PacketId, Is.EqualTo(7));
        await subscriberBack.AssertNothingReceivedAsync(); // not delivered a second time
    }

    [Test]
    public async Task Clean_sessions_leave_nothing_in_the_store()
    {
        var client = await ConnectedClientAsync("c");
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", "x", MqttQualityOfService.AtLeastOnce));
        await client.ReceivePublishAsync();
        await client.DisconnectAsync();
        Assert.That(_store.Changes, Is.Empty);
    }

    [Test]
    public async Task A_session_whose_expiry_passed_while_stopped_is_gone_after_the_restart_MQTT_3_1_2_11()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await client.ConnectOkAsync("short", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 1 });
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await client.DisconnectAsync();
        await Task.Delay(1200);
        await RestartOnSameStoreAsync();

        var back = NewClient(MqttProtocolVersion.V500);
        Assert.That((await back.ConnectOkAsync("short", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 60 })).SessionPresent, Is.False);
    }

    [Test]
    public async Task A_delayed_will_due_while_the_broker_was_stopped_is_published_at_start()
    {
        var watcher = await ConnectedClientAsync("w", cleanSession: false);
        await watcher.SubscribeAsync("status/#", MqttQualityOfService.AtLeastOnce);
        await watcher.DisconnectAsync();
        var client = NewClient(MqttProtocolVersion.V500);
        var will = new MqttWill { Topic = "status/c", Payload = "gone"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce, Properties = new MqttProperties { WillDelayInterval = 1 } };
        await client.ConnectOkAsync("c", cleanSession: false, will: will, properties: new MqttProperties { SessionExpiryInterval = 600 });
        await client.AbortAsync();
        await WaitUntilAsync(() => _store.Changes.Contains("will c"), "the delayed will is stored");
        await RestartOnSameStoreAsync();
        await Task.Delay(1100); // the maintenance loop publishes wills that fall due once a second

        var watcherBack = NewClient();
        await watcherBack.ConnectOkAsync("w", cleanSession: false);
        Assert.That((await watcherBack.ReceivePublishAsync(timeout: TimeSpan.FromSeconds(5))).Text(), Is.EqualTo("gone"));
    }

    [Test]
    public async Task Message_expiry_counts_the_time_the_broker_was_stopped_MQTT_3_3_2_5()
    {
        var subscriber = NewClient(MqttProtocolVersion.V500);
        await subscriber.ConnectOkAsync("p", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 600 });
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await subscriber.DisconnectAsync();
        await Broker.PublishAsync(Message("t", "short-lived", MqttQualityOfService.AtLeastOnce) with { Properties = new MqttProperties { MessageExpiryInterval = 1 } });
        await Broker.PublishAsync(Message("t", "long-lived", MqttQualityOfService.AtLeastOnce) with { Properties = new MqttProperties { MessageExpiryInterval = 600 } });
        await RestartOnSameStoreAsync();
        await Task.Delay(1200);

        var back = NewClient(MqttProtocolVersion.V500);
        await back.ConnectOkAsync("p", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 600 });
        var received = await back.ReceivePublishAsync();
        Assert.That(received.Text(), Is.EqualTo("long-lived"), "the expired message is not delivered");
        Assert.That(received.Properties.MessageExpiryInterval, Is.LessThan(600u), "what is left of the interval is forwarded (MQTT-3.3.2-6)");
        await back.AssertNothingReceivedAsync();
    }
}

using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>The MQTT 5.0 basics the broker serves: reason codes, CONNACK properties, subscription options, expiry.</summary>
internal sealed class Mqtt5Tests : BrokerScenario
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    protected override MqttBrokerOptions Options => base.Options with { Capabilities = new MqttCapabilities { MaximumPacketSize = 4096 } };

    private Task<TestClient> Connected5Async(string clientId, uint sessionExpiry = 0, bool cleanStart = true) =>
        ConnectWithAsync(clientId, new MqttProperties { SessionExpiryInterval = sessionExpiry == 0 ? null : sessionExpiry }, cleanStart);

    private async Task<TestClient> ConnectWithAsync(string clientId, MqttProperties properties, bool cleanStart = true, MqttWill? will = null)
    {
        var client = NewClient(V5);
        await client.ConnectOkAsync(clientId, cleanStart, will: will, properties: properties);
        return client;
    }

    private static DisconnectPacket SingleDisconnect(List<MqttPacket> packets)
    {
        Assert.That(packets, Has.Count.EqualTo(1));
        Assert.That(packets[0], Is.InstanceOf<DisconnectPacket>());
        return (DisconnectPacket)packets[0];
    }

    [Test]
    public async Task CONNACK_assigns_a_client_id_and_announces_the_broker_limits()
    {
        var client = NewClient(V5);
        var connAck = await client.ConnectOkAsync("");
        Assert.Multiple(() =>
        {
            Assert.That(connAck.Properties.AssignedClientIdentifier, Does.StartWith("auto-"));
            Assert.That(connAck.Properties.TopicAliasMaximum, Is.EqualTo(10));
            Assert.That(connAck.Properties.MaximumPacketSize, Is.EqualTo(4096));
            Assert.That(connAck.Properties.SharedSubscriptionAvailable, Is.Null, "absent: shared subscriptions are available (3.2.2.3.15)");
            Assert.That(connAck.Properties.SubscriptionIdentifiersAvailable, Is.Null, "absent: identifiers are available (3.2.2.3.14)");
        });
        Assert.That(Broker.GetConnectedClients()[0].ClientId, Is.EqualTo(connAck.Properties.AssignedClientIdentifier));
    }

    [Test]
    public async Task Malformed_packet_gets_DISCONNECT_0x81_then_close()
    {
        var client = await Connected5Async("c");
        await client.SendRawAsync(0x00, 0x00);
        Assert.That(SingleDisconnect(await client.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.MalformedPacket));
    }

    [Test]
    public async Task Packet_too_large_gets_DISCONNECT_0x95_then_close()
    {
        var client = await Connected5Async("c");
        await client.SendAsync(new PublishPacket { Topic = "t", Payload = new byte[5000] });
        Assert.That(SingleDisconnect(await client.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.PacketTooLarge));
    }

    [Test]
    public async Task Session_take_over_sends_DISCONNECT_0x8E_to_the_old_connection_MQTT_3_1_4_3()
    {
        var first = await Connected5Async("same");
        await Connected5Async("same");
        Assert.That(SingleDisconnect(await first.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.SessionTakenOver));
    }

    [Test]
    public async Task Second_CONNECT_gets_DISCONNECT_0x82_protocol_error()
    {
        var client = await Connected5Async("c");
        await client.SendAsync(new ConnectPacket { ClientId = "c" });
        Assert.That(SingleDisconnect(await client.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }

    [Test]
    public async Task Topic_alias_is_refused_because_the_maximum_is_0_MQTT_3_3_2_9()
    {
        Restart(Options with { Capabilities = Options.Capabilities with { TopicAliasMaximum = 0 } });
        var client = await Connected5Async("c");
        await client.SendAsync(new PublishPacket { Topic = "t", Payload = "x"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 1 } });
        Assert.That(SingleDisconnect(await client.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.TopicAliasInvalid));
    }

    [Test]
    public async Task PUBACK_says_no_matching_subscribers_0x10_or_success()
    {
        var client = await Connected5Async("c");
        Assert.That(await client.PublishAsync("nobody", "x", MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.NoMatchingSubscribers));
        await client.SubscribeAsync("somebody");
        Assert.That(await client.PublishAsync("somebody", "x", MqttQualityOfService.ExactlyOnce), Is.EqualTo(MqttReasonCode.Success));
    }

    [Test]
    public async Task SUBACK_reason_codes_for_shared_filters_while_shared_subscriptions_are_off()
    {
        Restart(Options with { Capabilities = Options.Capabilities with { SharedSubscriptionAvailable = false } });
        var client = await Connected5Async("c");
        var subAck = await client.SubscribeAsync(new MqttTopicSubscription("$share/g/t", MqttQualityOfService.AtLeastOnce),
            new MqttTopicSubscription("ok", MqttQualityOfService.ExactlyOnce));
        Assert.That(subAck.ReasonCodes, Is.EqualTo(new[] { MqttReasonCode.SharedSubscriptionsNotSupported, MqttReasonCode.GrantedQos2 }));
    }

    [TestCase("a/#/b")]
    [TestCase("$share/g+/t")]
    [TestCase("$share//t")]
    public async Task A_malformed_filter_or_share_name_gets_DISCONNECT_0x81_MQTT_4_7_1_2_and_4_8_2_2(string filter)
    {
        var client = await Connected5Async("c");
        await client.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new MqttTopicSubscription(filter, MqttQualityOfService.AtLeastOnce)] });
        Assert.That(SingleDisconnect(await client.WaitForCloseAsync()).ReasonCode, Is.EqualTo(MqttReasonCode.MalformedPacket));
    }

    [Test]
    public async Task UNSUBACK_has_one_reason_code_per_filter()
    {
        var client = await Connected5Async("c");
        await client.SubscribeAsync("a");
        var unsubAck = await client.UnsubscribeAsync("a", "b");
        Assert.That(unsubAck.ReasonCodes, Is.EqualTo(new[] { MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted }));
    }

    [Test]
    public async Task No_local_subscription_does_not_receive_its_own_messages_MQTT_3_8_3_3()
    {
        var client = await Connected5Async("c");
        await client.SubscribeAsync(new MqttTopicSubscription("chat", MqttQualityOfService.AtMostOnce, NoLocal: true));
        await client.PublishAsync("chat", "mine");
        await client.AssertNothingReceivedAsync();

        var other = await Connected5Async("other");
        await other.PublishAsync("chat", "theirs");
        Assert.That((await client.ReceivePublishAsync()).Text(), Is.EqualTo("theirs"));
    }

    [Test]
    public async Task Retain_as_published_keeps_the_retain_flag_on_forwarded_messages()
    {
        var client = await Connected5Async("c");
        await client.SubscribeAsync(new MqttTopicSubscription("r", MqttQualityOfService.AtMostOnce, RetainAsPublished: true));
        await Broker.PublishAsync(Message("r", "kept", retain: true));
        Assert.That((await client.ReceivePublishAsync()).Retain, Is.True);
    }

    [Test]
    public async Task Retain_handling_2_sends_no_retained_messages_and_1_only_for_new_subscriptions()
    {
        await Broker.PublishAsync(Message("r", "stored", retain: true));
        var client = await Connected5Async("c");
        await client.SubscribeAsync(new MqttTopicSubscription("r", MqttQualityOfService.AtMostOnce, RetainHandling: MqttRetainHandling.DoNotSend));
        await client.AssertNothingReceivedAsync();

        await client.UnsubscribeAsync("r");
        await client.SubscribeAsync(new MqttTopicSubscription("r", MqttQualityOfService.AtMostOnce, RetainHandling: MqttRetainHandling.SendAtSubscribeIfNew));
        Assert.That((await client.ReceivePublishAsync()).Text(), Is.EqualTo("stored"));
        await client.SubscribeAsync(new MqttTopicSubscription("r", MqttQualityOfService.AtMostOnce, RetainHandling: MqttRetainHandling.SendAtSubscribeIfNew));
        await client.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Receive_maximum_of_the_client_limits_unacknowledged_messages_MQTT_3_3_4_9()
    {
        var client = await ConnectWithAsync("c", new MqttProperties { ReceiveMaximum = 1 });
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", "1", MqttQualityOfService.AtLeastOnce));
        await Broker.PublishAsync(Message("t", "2", MqttQualityOfService.AtLeastOnce));
        var first = await client.ReceivePublishAsync(acknowledge: false);
        await client.AssertNothingReceivedAsync();
        await client.SendAsync(new PubAckPacket { PacketId = first.PacketId });
        Assert.That((await client.ReceivePublishAsync()).Text(), Is.EqualTo("2"));
    }

    [Test]
    public async Task Message_larger_than_the_client_maximum_packet_size_is_not_sent_MQTT_3_1_2_25()
    {
        var client = await ConnectWithAsync("c", new MqttProperties { MaximumPacketSize = 100 });
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("t", new string('x', 200), MqttQualityOfService.AtLeastOnce));
        await Broker.PublishAsync(Message("t", "small", MqttQualityOfService.AtLeastOnce));
        Assert.That((await client.ReceivePublishAsync()).Text(), Is.EqualTo("small"));
        Assert.That(Broker.Statistics.MessagesDroppedTooLarge, Is.EqualTo(1));
    }

    [Test]
    public async Task User_properties_and_content_type_are_forwarded_unchanged_MQTT_3_3_2_17()
    {
        var subscriber = await Connected5Async("sub");
        await subscriber.SubscribeAsync("t");
        var legacy = await ConnectedClientAsync("legacy");
        await legacy.SubscribeAsync("t");

        var publisher = await Connected5Async("pub");
        await publisher.PublishAsync("t", "{}", properties: new MqttProperties
        {
            ContentType = "application/json",
            ResponseTopic = "reply/here",
            UserProperties = [new MqttUserProperty("unit", "C"), new MqttUserProperty("unit", "F")],
        });

        var publish = await subscriber.ReceivePublishAsync();
        Assert.Multiple(() =>
        {
            Assert.That(publish.Properties.ContentType, Is.EqualTo("application/json"));
            Assert.That(publish.Properties.ResponseTopic, Is.EqualTo("reply/here"));
            Assert.That(publish.Properties.UserProperties, Is.EqualTo(new[] { new MqttUserProperty("unit", "C"), new MqttUserProperty("unit", "F") }));
        });
        Assert.That((await legacy.ReceivePublishAsync()).Text(), Is.EqualTo("{}")); // a 3.1.1 subscriber gets the same message, without properties
    }

    [Test]
    public async Task Session_expiry_interval_keeps_the_session_after_disconnect()
    {
        var client = await Connected5Async("p", sessionExpiry: 60);
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await client.DisconnectAsync();
        await Broker.PublishAsync(Message("t", "queued", MqttQualityOfService.AtLeastOnce));

        var back = NewClient(V5);
        var connAck = await back.ConnectOkAsync("p", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 60 });
        Assert.That(connAck.SessionPresent, Is.True);
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("queued"));
    }

    [Test]
    public async Task Session_expiry_0_ends_the_session_with_the_connection()
    {
        var client = await Connected5Async("p", cleanStart: false);
        await client.SubscribeAsync("t");
        await client.DisconnectAsync();
        var back = NewClient(V5);
        Assert.That((await back.ConnectOkAsync("p", cleanSession: false)).SessionPresent, Is.False);
    }

    [Test]
    public async Task Expired_message_is_not_delivered_to_a_returning_client()
    {
        var client = await Connected5Async("p", sessionExpiry: 60);
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await client.DisconnectAsync();
        await Broker.PublishAsync(new MqttApplicationMessage
        {
            Topic = "t",
            Payload = "stale"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
            Properties = new MqttProperties { MessageExpiryInterval = 1 },
            ReceivedAt = DateTimeOffset.UtcNow.AddSeconds(-5),
        });
        await Broker.PublishAsync(Message("t", "fresh", MqttQualityOfService.AtLeastOnce));

        var back = NewClient(V5);
        await back.ConnectOkAsync("p", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 60 });
        Assert.That((await back.ReceivePublishAsync()).Text(), Is.EqualTo("fresh"));
    }

    [Test]
    public async Task DISCONNECT_with_0x04_publishes_the_will()
    {
        var watcher = await ConnectedClientAsync("watcher");
        await watcher.SubscribeAsync("status/#");
        var client = await ConnectWithAsync("c", MqttProperties.Empty, will: new MqttWill { Topic = "status/c", Payload = "bye"u8.ToArray() });
        await client.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage });
        await client.WaitForCloseAsync();
        Assert.That((await watcher.ReceivePublishAsync()).Text(), Is.EqualTo("bye"));
    }

    [Test]
    public async Task Will_delay_postpones_the_will_and_a_reconnect_cancels_it_MQTT_3_1_3_9()
    {
        var watcher = await ConnectedClientAsync("watcher");
        await watcher.SubscribeAsync("status/#");
        var will = new MqttWill { Topic = "status/c", Payload = "late"u8.ToArray(), Properties = new MqttProperties { WillDelayInterval = 1 } };

        var client = await ConnectWithAsync("c", new MqttProperties { SessionExpiryInterval = 60 }, will: will);
        await client.AbortAsync();
        await watcher.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(500));
        var published = await watcher.ReceivePublishAsync(timeout: TimeSpan.FromSeconds(4));
        Assert.That(published.Text(), Is.EqualTo("late"));

        var again = await ConnectWithAsync("c2", new MqttProperties { SessionExpiryInterval = 60 }, will: will);
        await again.AbortAsync();
        await again.WaitForCloseAsync();
        var back = NewClient(V5);
        await back.ConnectOkAsync("c2", cleanSession: false, properties: new MqttProperties { SessionExpiryInterval = 60 });
        await watcher.AssertNothingReceivedAsync(TimeSpan.FromSeconds(2.5));
    }

    [Test]
    public async Task Server_keep_alive_override_is_announced_in_CONNACK_MQTT_3_2_2_21()
    {
        Restart(Options with { Capabilities = Options.Capabilities with { ServerKeepAlive = TimeSpan.FromSeconds(30) } });
        var client = NewClient(V5);
        var connAck = await client.ConnectOkAsync("c", keepAliveSeconds: 600);
        Assert.That(connAck.Properties.ServerKeepAlive, Is.EqualTo(30));
    }

    [Test]
    public async Task Enhanced_authentication_without_an_enhanced_authenticator_is_refused_with_0x8C_MQTT_4_12_0_1()
    {
        var client = NewClient(V5);
        var connAck = await client.ConnectAsync("c", properties: new MqttProperties { AuthenticationMethod = "SCRAM-SHA-1" });
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.BadAuthenticationMethod));
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Mqtt5_and_mqtt311_clients_exchange_messages()
    {
        var v5 = await Connected5Async("five");
        await v5.SubscribeAsync("mix", MqttQualityOfService.ExactlyOnce);
        var v3 = await ConnectedClientAsync("three");
        await v3.SubscribeAsync("mix", MqttQualityOfService.ExactlyOnce);
        await v3.PublishAsync("mix", "from-3", MqttQualityOfService.ExactlyOnce);
        await v5.PublishAsync("mix", "from-5", MqttQualityOfService.ExactlyOnce);
        Assert.That((await v5.ReceivePublishAsync()).Text(), Is.EqualTo("from-3"));
        Assert.That((await v5.ReceivePublishAsync()).Text(), Is.EqualTo("from-5"));
        Assert.That((await v3.ReceivePublishAsync()).Text(), Is.EqualTo("from-3"));
        Assert.That((await v3.ReceivePublishAsync()).Text(), Is.EqualTo("from-5"));
    }
}

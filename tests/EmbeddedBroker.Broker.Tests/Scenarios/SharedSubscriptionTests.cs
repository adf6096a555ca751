using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>Shared subscriptions "$share/{group}/{filter}" (MQTT 5.0 section 4.8.2), for MQTT 5 and 3.1.1 clients.</summary>
internal sealed class SharedSubscriptionTests : BrokerScenario
{
    private const MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;

    private async Task<TestClient> MemberAsync(string clientId, string filter = "$share/workers/jobs/#", MqttProtocolVersion version = MqttProtocolVersion.V500,
        MqttQualityOfService qos = Qos1, bool cleanSession = true)
    {
        var client = NewClient(version);
        var expiry = version == MqttProtocolVersion.V500 && !cleanSession ? new MqttProperties { SessionExpiryInterval = 600 } : null;
        await client.ConnectOkAsync(clientId, cleanSession, properties: expiry);
        var subAck = await client.SubscribeAsync(filter, qos);
        Assert.That(subAck.ReasonCodes, Is.EqualTo(new[] { (MqttReasonCode)(byte)qos }));
        return client;
    }

    private static async Task<List<string>> DrainAsync(TestClient client)
    {
        var received = new List<string>();
        while (await client.ReceiveOrNullAsync(TimeSpan.FromMilliseconds(300)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null) is PublishPacket publish)
        {
            received.Add(publish.Text());
            if (publish.Qos == Qos1)
                await client.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
        }

        return received;
    }

    [Test]
    public async Task Each_message_goes_to_exactly_one_member_of_the_group_in_turn_MQTT_4_8_2()
    {
        var members = new[] { await MemberAsync("a"), await MemberAsync("b"), await MemberAsync("c", version: MqttProtocolVersion.V311) };
        for (var i = 0; i < 30; i++)
            await Broker.PublishAsync(Message($"jobs/{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Qos1));

        var received = new List<List<string>>();
        foreach (var member in members)
            received.Add(await DrainAsync(member));

        Assert.That(received.SelectMany(r => r).Order(), Is.EqualTo(Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order()),
            "every message once, across the group");
        Assert.That(received.Select(r => r.Count), Is.All.EqualTo(10), "round robin spreads them evenly");
    }

    [Test]
    public async Task Two_groups_and_an_ordinary_subscription_each_get_their_own_copy_MQTT_4_8_2()
    {
        var workerA = await MemberAsync("a");
        var auditor = await MemberAsync("audit", "$share/audit/jobs/#");
        var plain = NewClient(MqttProtocolVersion.V500);
        await plain.ConnectOkAsync("plain");
        await plain.SubscribeAsync("jobs/#", Qos1);
        await Broker.PublishAsync(Message("jobs/1", "x", Qos1));
        Assert.That((await workerA.ReceivePublishAsync()).Text(), Is.EqualTo("x"));
        Assert.That((await auditor.ReceivePublishAsync()).Text(), Is.EqualTo("x"));
        Assert.That((await plain.ReceivePublishAsync()).Text(), Is.EqualTo("x"));
    }

    [Test]
    public async Task A_shared_subscription_gets_no_retained_messages()
    {
        await Broker.PublishAsync(Message("jobs/old", "retained", retain: true));
        var member = await MemberAsync("a");
        await member.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task An_offline_persistent_member_is_passed_over_while_another_is_online()
    {
        var offline = await MemberAsync("sleeper", cleanSession: false);
        await offline.DisconnectAsync();
        var online = await MemberAsync("awake");
        for (var i = 0; i < 5; i++)
            await Broker.PublishAsync(Message("jobs/1", $"m{i}", Qos1));
        Assert.That(await DrainAsync(online), Has.Count.EqualTo(5));
    }

    [Test]
    public async Task A_QoS_1_message_in_flight_to_a_member_whose_session_ends_goes_to_another_member_MQTT_4_8_2()
    {
        Restart(Options with { MaximumInflightPerClient = 1 });
        var doomed = await MemberAsync("doomed");
        await Broker.PublishAsync(Message("jobs/1", "first", Qos1)); // round robin: to "doomed" (the only member)
        var unacknowledged = await doomed.ReceivePublishAsync(acknowledge: false);
        Assert.That(unacknowledged.Text(), Is.EqualTo("first"));
        var survivor = await MemberAsync("survivor");

        await doomed.AbortAsync(); // the connection breaks; its clean session ends
        var redelivered = await survivor.ReceivePublishAsync();
        Assert.That(redelivered.Text(), Is.EqualTo("first"), "nothing is lost at QoS 1");
    }

    [Test]
    public async Task A_QoS_2_message_sent_to_a_member_whose_session_ends_is_not_sent_to_another_member_MQTT_4_8_2_5()
    {
        Restart(Options with { MaximumInflightPerClient = 1 });
        var doomed = await MemberAsync("doomed", qos: MqttQualityOfService.ExactlyOnce);
        await Broker.PublishAsync(Message("jobs/1", "sent", MqttQualityOfService.ExactlyOnce));
        await Broker.PublishAsync(Message("jobs/1", "queued", MqttQualityOfService.ExactlyOnce)); // behind the window of 1
        var unanswered = await doomed.ReceivePublishAsync(acknowledge: false); // no PUBREC
        Assert.That(unanswered.Text(), Is.EqualTo("sent"));
        var survivor = await MemberAsync("survivor", qos: MqttQualityOfService.ExactlyOnce);

        await doomed.AbortAsync(); // the connection breaks; its clean session ends
        var handedOn = await survivor.ReceivePublishAsync();
        Assert.That(handedOn.Text(), Is.EqualTo("queued"), "a QoS 2 message never sent may go to another member");
        await survivor.AssertNothingReceivedAsync(); // "sent" must not: it may have reached the doomed client once already
    }

    [Test]
    public async Task A_3_1_1_client_can_be_a_member_too_as_Mosquitto_allows()
    {
        var member = await MemberAsync("old", version: MqttProtocolVersion.V311);
        await Broker.PublishAsync(Message("jobs/1", "x"));
        Assert.That((await member.ReceivePublishAsync()).Text(), Is.EqualTo("x"));
    }

    [Test]
    public async Task Unsubscribing_the_shared_filter_leaves_the_group()
    {
        var leaving = await MemberAsync("leaving");
        var staying = await MemberAsync("staying");
        await leaving.UnsubscribeAsync("$share/workers/jobs/#");
        for (var i = 0; i < 4; i++)
            await Broker.PublishAsync(Message("jobs/1", $"m{i}", Qos1));
        Assert.That(await DrainAsync(staying), Has.Count.EqualTo(4));
        await leaving.AssertNothingReceivedAsync();
    }
}

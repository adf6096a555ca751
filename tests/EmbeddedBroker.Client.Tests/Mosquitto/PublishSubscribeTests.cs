using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client.Tests.Mosquitto;

public sealed class PublishSubscribeTests : MosquittoTestBase
{
    [TestCase(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [TestCase(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce)]
    [TestCase(MqttProtocolVersion.V311, MqttQualityOfService.ExactlyOnce)]
    [TestCase(MqttProtocolVersion.V500, MqttQualityOfService.AtMostOnce)]
    [TestCase(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    [TestCase(MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce)]
    [TestCase(MqttProtocolVersion.V310, MqttQualityOfService.ExactlyOnce)]
    public async Task Message_round_trips_at_the_granted_qos_MQTT_3_8_4_6(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        var subscriber = await ConnectAsync(version);
        var publisher = await ConnectAsync(version);
        var granted = await subscriber.SubscribeAsync(($"{Prefix}/+", qos));
        Assert.That(granted, Is.EqualTo(new[] { (MqttReasonCode)qos }));

        await publisher.PublishAsync($"{Prefix}/x", "hello"u8.ToArray(), qos).WaitAsync(Timeout);

        var message = await ReceiveAsync(subscriber);
        Assert.That(message.Topic, Is.EqualTo($"{Prefix}/x"));
        Assert.That(Encoding.UTF8.GetString(message.Payload.Span), Is.EqualTo("hello"));
        Assert.That(message.Qos, Is.EqualTo(qos));
        Assert.That(message.Retain, Is.False);
    }

    // MQTT 5 so that the client honours mosquitto's Receive Maximum (20): over 3.1.1 mosquitto silently drops incoming
    // QoS 2 beyond 20 in flight (PUBREC 0x97 that 3.1.1 cannot carry), hence MqttClientOptions.MaximumPublishesInFlight.
    [TestCase(MqttQualityOfService.AtMostOnce)]
    [TestCase(MqttQualityOfService.AtLeastOnce)]
    [TestCase(MqttQualityOfService.ExactlyOnce)]
    public async Task Pipelined_publishes_respect_receive_maximum_and_arrive_in_order_MQTT_3_3_4_7(MqttQualityOfService qos)
    {
        // Under mosquitto's default max_queued_messages (1000), which would otherwise drop for a slower subscriber.
        const int count = 900;
        var subscriber = await ConnectAsync(MqttProtocolVersion.V500);
        var publisher = await ConnectAsync(MqttProtocolVersion.V500);
        await subscriber.SubscribeAsync(($"{Prefix}/n", qos));

        var sends = Enumerable.Range(0, count)
            .Select(i => publisher.PublishAsync($"{Prefix}/n", BitConverter.GetBytes(i), qos))
            .ToArray();
        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(20));

        for (var i = 0; i < count; i++)
        {
            var message = await ReceiveAsync(subscriber);
            Assert.That(BitConverter.ToInt32(message.Payload.Span), Is.EqualTo(i), "ordered topic delivery for one publisher");
        }
    }

    [Test]
    public async Task Maximum_publishes_in_flight_keeps_a_3_1_1_qos2_burst_within_the_server_quota()
    {
        const int count = 200;
        var subscriber = await ConnectAsync();
        var publisher = await ConnectAsync(Options() with { MaximumPublishesInFlight = 20 });
        await subscriber.SubscribeAsync(($"{Prefix}/n", MqttQualityOfService.ExactlyOnce));

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => publisher.PublishAsync($"{Prefix}/n", BitConverter.GetBytes(i), MqttQualityOfService.ExactlyOnce)));

        for (var i = 0; i < count; i++)
        {
            Assert.That(BitConverter.ToInt32((await ReceiveAsync(subscriber)).Payload.Span), Is.EqualTo(i));
        }
    }

    [Test]
    public async Task Unsubscribed_filter_no_longer_receives_MQTT_3_10_4_6()
    {
        var subscriber = await ConnectAsync();
        var publisher = await ConnectAsync();
        await subscriber.SubscribeAsync(($"{Prefix}/gone", MqttQualityOfService.AtLeastOnce), ($"{Prefix}/marker", MqttQualityOfService.AtLeastOnce));

        var codes = await subscriber.UnsubscribeAsync($"{Prefix}/gone");
        await publisher.PublishAsync($"{Prefix}/gone", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce);
        await publisher.PublishAsync($"{Prefix}/marker", new byte[] { 2 }, MqttQualityOfService.AtLeastOnce);

        Assert.That(codes, Is.EqualTo(new[] { MqttReasonCode.Success }));
        Assert.That((await ReceiveAsync(subscriber)).Topic, Is.EqualTo($"{Prefix}/marker"), "the marker arrives first: nothing came for the removed filter");
    }

    [Test]
    public async Task Unsubscribe_in_MQTT_5_reports_no_subscription_existed_MQTT_3_11_3_1()
    {
        var client = await ConnectAsync(MqttProtocolVersion.V500);

        var codes = await client.UnsubscribeAsync($"{Prefix}/never");

        Assert.That(codes, Is.EqualTo(new[] { MqttReasonCode.NoSubscriptionExisted }));
    }

    [Test]
    public async Task Retained_message_is_delivered_to_new_subscriber_MQTT_3_3_1_6()
    {
        var publisher = await ConnectAsync();
        await publisher.PublishAsync($"{Prefix}/r", "kept"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);

        var subscriber = await ConnectAsync();
        await subscriber.SubscribeAsync(($"{Prefix}/#", MqttQualityOfService.AtLeastOnce));

        var message = await ReceiveAsync(subscriber);
        Assert.That(message.Retain, Is.True);
        Assert.That(message.Payload.ToArray(), Is.EqualTo("kept"u8.ToArray()));

        // An empty retained payload clears it (MQTT-3.3.1-10): a later subscriber gets nothing.
        await publisher.PublishAsync($"{Prefix}/r", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true);
        var late = await ConnectAsync();
        await late.SubscribeAsync(($"{Prefix}/#", MqttQualityOfService.AtLeastOnce));
        await publisher.PublishAsync($"{Prefix}/marker", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce);
        Assert.That((await ReceiveAsync(late)).Topic, Is.EqualTo($"{Prefix}/marker"));
    }

    [Test]
    public async Task Will_is_published_when_the_connection_drops_without_disconnect_MQTT_3_1_2_8()
    {
        var watcher = await ConnectAsync();
        await watcher.SubscribeAsync(($"{Prefix}/will", MqttQualityOfService.AtLeastOnce));
        var dying = await ConnectAsync(Options() with
        {
            Will = new MqttWill { Topic = $"{Prefix}/will", Payload = "gone"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce },
        });

        dying.Abort();

        var will = await ReceiveAsync(watcher);
        Assert.That(will.Topic, Is.EqualTo($"{Prefix}/will"));
        Assert.That(will.Payload.ToArray(), Is.EqualTo("gone"u8.ToArray()));
    }

    [Test]
    public async Task Will_is_not_published_after_disconnect_MQTT_3_1_2_10()
    {
        var watcher = await ConnectAsync();
        await watcher.SubscribeAsync(($"{Prefix}/#", MqttQualityOfService.AtLeastOnce));
        var leaving = await ConnectAsync(Options() with { Will = new MqttWill { Topic = $"{Prefix}/will", Payload = "gone"u8.ToArray() } });

        await leaving.DisconnectAsync();
        await watcher.PublishAsync($"{Prefix}/marker", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce);

        Assert.That((await ReceiveAsync(watcher)).Topic, Is.EqualTo($"{Prefix}/marker"));
    }

    [Test]
    public async Task Persistent_session_receives_qos1_messages_published_while_offline_MQTT_3_1_2_4()
    {
        var clientId = NewClientId("p");
        var options = Options(clientId: clientId) with { CleanSession = false };
        var first = await ConnectAsync(options);
        await first.SubscribeAsync(($"{Prefix}/offline", MqttQualityOfService.AtLeastOnce));
        await first.DisconnectAsync();

        var publisher = await ConnectAsync();
        await publisher.PublishAsync($"{Prefix}/offline", "queued"u8.ToArray(), MqttQualityOfService.AtLeastOnce);

        var second = await ConnectAsync(options);
        Assert.That(second.ConnectResult.SessionPresent, Is.True, "MQTT-3.2.2-2");
        var message = await ReceiveAsync(second);
        Assert.That(message.Payload.ToArray(), Is.EqualTo("queued"u8.ToArray()));

        // Leave no session behind in the shared broker.
        await second.DisconnectAsync();
        await (await ConnectAsync(Options(clientId: clientId))).DisconnectAsync();
    }

    [Test]
    public async Task Invalid_topic_name_is_rejected_before_sending_MQTT_3_3_2_2()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            var client = await ConnectAsync();
            await client.PublishAsync("a/+/b", new byte[] { 1 }, MqttQualityOfService.AtMostOnce);
        });
    }
}

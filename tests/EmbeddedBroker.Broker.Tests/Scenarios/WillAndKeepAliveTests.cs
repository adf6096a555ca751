using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

internal sealed class WillAndKeepAliveTests : BrokerScenario
{
    private static MqttWill Will(string topic = "status/c", string payload = "gone", bool retain = false) =>
        new() { Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload), Qos = MqttQualityOfService.AtLeastOnce, Retain = retain };

    private async Task<TestClient> WatcherAsync()
    {
        var watcher = await ConnectedClientAsync("watcher");
        await watcher.SubscribeAsync("status/#", MqttQualityOfService.AtLeastOnce);
        return watcher;
    }

    [Test]
    public async Task Will_is_published_when_the_network_connection_drops_MQTT_3_1_2_8()
    {
        var watcher = await WatcherAsync();
        var client = NewClient();
        await client.ConnectOkAsync("c", will: Will());
        await client.AbortAsync();

        var will = await watcher.ReceivePublishAsync();
        Assert.Multiple(() =>
        {
            Assert.That(will.Topic, Is.EqualTo("status/c"));
            Assert.That(will.Text(), Is.EqualTo("gone"));
            Assert.That(will.Qos, Is.EqualTo(MqttQualityOfService.AtLeastOnce));
            Assert.That(Broker.Statistics.WillsPublished, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Will_is_published_when_the_transport_reports_the_connection_closed_MQTT_3_1_2_8()
    {
        var watcher = await WatcherAsync();
        var client = NewClient();
        await client.ConnectOkAsync("c", will: Will(payload: "dropped"));
        await client.SignalTransportClosedAsync();
        Assert.That((await watcher.ReceivePublishAsync()).Text(), Is.EqualTo("dropped"));
    }

    [Test]
    public async Task Will_is_not_published_after_DISCONNECT_MQTT_3_14_4_3()
    {
        var watcher = await WatcherAsync();
        var client = NewClient();
        await client.ConnectOkAsync("c", will: Will());
        await client.DisconnectAsync();
        await watcher.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
        Assert.That(Broker.Statistics.WillsPublished, Is.Zero);
    }

    [Test]
    public async Task Will_is_published_when_the_server_closes_for_a_protocol_error_MQTT_3_1_2_8()
    {
        var watcher = await WatcherAsync();
        var client = NewClient();
        await client.ConnectOkAsync("c", will: Will());
        await client.SendRawAsync(0x00, 0x00); // reserved packet type 0
        await client.WaitForCloseAsync();
        Assert.That((await watcher.ReceivePublishAsync()).Text(), Is.EqualTo("gone"));
    }

    [Test]
    public async Task Will_is_published_when_the_session_is_taken_over()
    {
        var watcher = await WatcherAsync();
        var first = NewClient();
        await first.ConnectOkAsync("c", will: Will(payload: "taken-over"));
        await ConnectedClientAsync("c");
        Assert.That((await watcher.ReceivePublishAsync()).Text(), Is.EqualTo("taken-over"));
    }

    [Test]
    public async Task A_take_over_that_continues_an_MQTT_5_session_before_the_will_delay_suppresses_the_will_MQTT_3_1_2_8()
    {
        var watcher = await WatcherAsync();
        var expiry = new MqttProperties { SessionExpiryInterval = 60 };
        var will = Will(payload: "delayed") with { Properties = new MqttProperties { WillDelayInterval = 1 } };
        var first = NewClient(MqttProtocolVersion.V500);
        await first.ConnectOkAsync("c", cleanSession: false, will: will, properties: expiry);
        var second = NewClient(MqttProtocolVersion.V500);
        Assert.That((await second.ConnectOkAsync("c", cleanSession: false, properties: expiry)).SessionPresent, Is.True);
        await first.WaitForCloseAsync();
        await watcher.AssertNothingReceivedAsync(TimeSpan.FromSeconds(1.5));
    }

    [Test]
    public async Task A_take_over_that_ends_the_session_publishes_a_delayed_will_at_once_MQTT_3_1_2_8()
    {
        var watcher = await WatcherAsync();
        var will = Will(payload: "delayed") with { Properties = new MqttProperties { WillDelayInterval = 600 } };
        var first = NewClient(MqttProtocolVersion.V500);
        await first.ConnectOkAsync("c", cleanSession: false, will: will, properties: new MqttProperties { SessionExpiryInterval = 60 });
        await NewClient(MqttProtocolVersion.V500).ConnectOkAsync("c", cleanSession: true);
        Assert.That((await watcher.ReceivePublishAsync()).Text(), Is.EqualTo("delayed"));
    }

    [Test]
    public async Task Will_to_a_dollar_topic_is_dropped_like_a_client_publish()
    {
        var sys = await ConnectedClientAsync("sys");
        await sys.SubscribeAsync("$SYS/#");
        var client = NewClient();
        await client.ConnectOkAsync("c", will: Will(topic: "$SYS/fake"));
        await client.AbortAsync();
        await WaitUntilAsync(() => Broker.Statistics.PublishesToDollarTopicsDropped == 1, "the will is dropped");
        await sys.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task Keep_alive_expiry_closes_the_connection_after_one_and_a_half_periods_MQTT_3_1_2_24()
    {
        var watcher = await WatcherAsync();
        var client = NewClient();
        await client.ConnectOkAsync("quiet", keepAliveSeconds: 1, will: Will(payload: "timed-out"));
        var started = DateTime.UtcNow;
        await client.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        var elapsed = DateTime.UtcNow - started;

        Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1400)));
        Assert.That(Broker.Statistics.KeepAliveTimeouts, Is.EqualTo(1));
        Assert.That((await watcher.ReceivePublishAsync()).Text(), Is.EqualTo("timed-out"));
    }

    [Test]
    public async Task Control_packets_within_the_keep_alive_keep_the_connection_open_MQTT_3_1_2_23()
    {
        var client = NewClient();
        await client.ConnectOkAsync("pinger", keepAliveSeconds: 1);
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(600);
            await client.SendAsync(PingReqPacket.Instance);
            await client.ReceiveAsync<PingRespPacket>();
        }

        Assert.That(Broker.Statistics.KeepAliveTimeouts, Is.Zero);
    }

    [Test]
    public async Task Keep_alive_zero_turns_the_timeout_off_MQTT_3_1_2_23()
    {
        Restart(Options with { ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        var client = NewClient();
        await client.ConnectOkAsync("forever", keepAliveSeconds: 0);
        await client.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(800)); // well past the connect timeout too
        await client.SendAsync(PingReqPacket.Instance);
        await client.ReceiveAsync<PingRespPacket>();
    }
}

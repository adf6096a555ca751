using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MqttNetMessage = MQTTnet.MqttApplicationMessage;

namespace EmbeddedBroker.App.Tests.Interop;

/// <summary>
/// MQTTnet's client (a library nobody here wrote) against our broker: MQTT 3.1.1 and 5, over TCP and WebSocket,
/// QoS 0, 1 and 2, retained messages and wills.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class MqttNetClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private MqttNetBroker broker = null!;

    [OneTimeSetUp]
    public async Task StartBroker() => broker = await MqttNetBroker.StartAsync();

    [OneTimeTearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Publish_is_delivered_at_each_qos_MQTT_4_3(
        [Values(MqttProtocolVersion.V311, MqttProtocolVersion.V500)] MqttProtocolVersion version,
        [Values] MqttTransport transport,
        [Values(MqttQualityOfServiceLevel.AtMostOnce, MqttQualityOfServiceLevel.AtLeastOnce, MqttQualityOfServiceLevel.ExactlyOnce)] MqttQualityOfServiceLevel qos,
        CancellationToken cancellationToken)
    {
        var topic = $"mqttnet/{version}/{transport}/{qos}";
        using var subscriber = await broker.ConnectAsync($"sub-{version}-{transport}-{qos}", version, transport, cancellationToken: cancellationToken);
        var received = await SubscribeAsync(subscriber, topic, MqttQualityOfServiceLevel.ExactlyOnce, cancellationToken);
        using var publisher = await broker.ConnectAsync($"pub-{version}-{transport}-{qos}", version, transport, cancellationToken: cancellationToken);

        var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("23.7").WithQualityOfServiceLevel(qos).Build(), cancellationToken);

        Assert.That(result.IsSuccess, Is.True, result.ReasonString);
        await Eventually.HoldsAsync(() => !received.IsEmpty, $"{topic} is delivered", Wait);
        Assert.That(received.Single().ConvertPayloadToString(), Is.EqualTo("23.7"));
        Assert.That(received.Single().QualityOfServiceLevel, Is.EqualTo(qos), "delivered at min(published, granted) QoS [MQTT-3.8.4-8]");
        await publisher.DisconnectAsync(cancellationToken: cancellationToken);
        await subscriber.DisconnectAsync(cancellationToken: cancellationToken);
    }

    [Test]
    public async Task Retained_message_is_delivered_to_a_new_subscriber_MQTT_3_3_1_6(
        [Values(MqttProtocolVersion.V311, MqttProtocolVersion.V500)] MqttProtocolVersion version,
        [Values] MqttTransport transport,
        CancellationToken cancellationToken)
    {
        var topic = $"mqttnet/retained/{version}/{transport}";
        using (var publisher = await broker.ConnectAsync($"rpub-{version}-{transport}", version, transport, cancellationToken: cancellationToken))
        {
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("open").WithRetainFlag()
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            await publisher.DisconnectAsync(cancellationToken: cancellationToken);
        }

        using var subscriber = await broker.ConnectAsync($"rsub-{version}-{transport}", version, transport, cancellationToken: cancellationToken);
        var received = await SubscribeAsync(subscriber, topic, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);

        await Eventually.HoldsAsync(() => !received.IsEmpty, "the retained message arrives on subscribe", Wait);
        Assert.That(received.Single().ConvertPayloadToString(), Is.EqualTo("open"));
        Assert.That(received.Single().Retain, Is.True, "a retained message sent because of a new subscription has RETAIN 1 [MQTT-3.3.1-8]");
        await subscriber.DisconnectAsync(cancellationToken: cancellationToken);
    }

    [Test]
    public async Task Will_is_published_when_the_connection_ends_without_a_normal_disconnect_MQTT_3_1_2_8(
        [Values(MqttProtocolVersion.V311, MqttProtocolVersion.V500)] MqttProtocolVersion version,
        [Values] MqttTransport transport,
        CancellationToken cancellationToken)
    {
        var willTopic = $"mqttnet/will/{version}/{transport}";
        using var watcher = await broker.ConnectAsync($"wsub-{version}-{transport}", version, transport, cancellationToken: cancellationToken);
        var received = await SubscribeAsync(watcher, willTopic, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        var dying = await broker.ConnectAsync($"will-{version}-{transport}", version, transport,
            o => o.WithWillTopic(willTopic).WithWillPayload(Encoding.UTF8.GetBytes("gone")).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce),
            cancellationToken);

        if (version == MqttProtocolVersion.V500)
        {
            // MQTT 5: DISCONNECT with reason code 0x04 (Disconnect with Will Message) asks the server to publish the will (MQTT 5.0, 3.14.2.1).
            await dying.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build(), cancellationToken);
        }

        dying.Dispose(); // MQTT 3.1.1: the connection just ends, with no DISCONNECT

        await Eventually.HoldsAsync(() => !received.IsEmpty, "the will is published", Wait);
        Assert.That(received.Single().ConvertPayloadToString(), Is.EqualTo("gone"));
        await watcher.DisconnectAsync(cancellationToken: cancellationToken);
    }

    [Test]
    public async Task Normal_disconnect_discards_the_will_MQTT_3_1_2_10([Values(MqttProtocolVersion.V311, MqttProtocolVersion.V500)] MqttProtocolVersion version, CancellationToken cancellationToken)
    {
        var willTopic = $"mqttnet/nowill/{version}";
        using var watcher = await broker.ConnectAsync($"nwsub-{version}", version, MqttTransport.Tcp, cancellationToken: cancellationToken);
        var received = await SubscribeAsync(watcher, willTopic, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        using (var leaving = await broker.ConnectAsync($"nowill-{version}", version, MqttTransport.Tcp, o => o.WithWillTopic(willTopic).WithWillPayload("gone"), cancellationToken))
        {
            await leaving.DisconnectAsync(cancellationToken: cancellationToken);
        }

        await watcher.PublishStringAsync(willTopic, "marker", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: cancellationToken);
        await Eventually.HoldsAsync(() => !received.IsEmpty, "the marker arrives", Wait);
        Assert.That(received.Select(m => m.ConvertPayloadToString()), Is.EqualTo(new[] { "marker" }), "no will after a normal DISCONNECT");
    }

    /// <summary>Subscribes <paramref name="client"/> and collects what it receives.</summary>
    private static async Task<ConcurrentQueue<MqttNetMessage>> SubscribeAsync(IMqttClient client, string topic, MqttQualityOfServiceLevel qos, CancellationToken cancellationToken)
    {
        var received = new ConcurrentQueue<MqttNetMessage>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(topic, qos, cancellationToken);
        return received;
    }
}

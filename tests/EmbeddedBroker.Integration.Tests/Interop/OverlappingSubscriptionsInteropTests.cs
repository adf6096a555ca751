using System.Globalization;
using EmbeddedBroker.Integration.Tests.Infrastructure;

namespace EmbeddedBroker.Integration.Tests.Interop;

/// <summary>
/// Debian's `mosquitto_sub -V mqttv5` and python3 paho-mqtt with overlapping subscriptions (MQTT 5.0 3.3.4): the broker
/// sends one copy of a message that matches several of a client's subscriptions, at the highest of their QoS, carrying
/// every matching subscription identifier. (Debian's mosquitto broker chooses the other allowed way, one copy per
/// matching subscription; each test publishes a second message as a marker, so a second copy of the first would show.)
/// libmosquitto 2.0.11 (mosquitto_sub) refuses a PUBLISH with two Subscription Identifiers as a duplicate property, so
/// the case of two different identifiers is shown with paho.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class OverlappingSubscriptionsInteropTests
{
    private static readonly string PahoScript = Path.Combine(AppContext.BaseDirectory, "Scripts", "paho_overlap.py");
    private InProcessBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await InProcessBroker.StartAsync("--Recorder:Enabled", "false");

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Overlapping_subscriptions_with_an_identifier_give_mosquitto_sub_one_copy_carrying_it_MQTT_3_3_4_2_and_3_3_4_3()
    {
        // One SUBSCRIBE with both filters (mosquitto_sub sends them together) and Subscription Identifier 7.
        using var subscriber = Subscriber("-i", "overlap-id", "-t", "a/#", "-t", "a/+/c", "-q", "1", "-D", "subscribe", "subscription-identifier", "7", "-C", "2", "-F", "%t %p qos=%q id=%S");
        await broker.WaitForSubscriptionAsync("overlap-id", "a/+/c");

        await PublishAsync("-t", "a/b/c", "-m", "both", "-q", "1");
        await PublishAsync("-t", "a/b/d", "-m", "marker", "-q", "1");

        Assert.That(await subscriber.WaitForExitAsync(MosquittoClients.Timeout), Is.Zero, subscriber.Describe());
        Assert.That(Lines(subscriber), Is.EqualTo(new[] { "a/b/c both qos=1 id=7", "a/b/d marker qos=1 id=7" }));
    }

    [Test]
    public async Task Overlapping_subscriptions_at_qos_0_and_2_give_one_copy_at_qos_2_MQTT_3_3_4_2()
    {
        // mosquitto_sub gives every filter of one run the same QoS: two runs in one persistent session make a/# QoS 0
        // and a/+/c QoS 2.
        string[] session = ["-i", "overlap-qos", "-c", "-x", "60"];
        var first = await MosquittoClients.SubscribeAsync(broker.Port, ["-V", "mqttv5", .. session, "-t", "a/#", "-q", "0", "-E"]);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        using var subscriber = Subscriber([.. session, "-t", "a/+/c", "-q", "2", "-C", "2", "-F", "%t %p qos=%q"]);
        await broker.WaitForSubscriptionAsync("overlap-qos", "a/+/c");

        await PublishAsync("-t", "a/b/c", "-m", "both", "-q", "2");
        await PublishAsync("-t", "a/x", "-m", "marker", "-q", "2");

        Assert.That(await subscriber.WaitForExitAsync(MosquittoClients.Timeout), Is.Zero, subscriber.Describe());
        Assert.That(Lines(subscriber), Is.EqualTo(new[] { "a/b/c both qos=2", "a/x marker qos=0" }), "the maximum QoS of the matching subscriptions, once");
    }

    [Test]
    public async Task Overlapping_subscriptions_with_two_identifiers_give_paho_one_copy_carrying_both_MQTT_3_3_4_4()
    {
        using var paho = ExternalProcess.Start(ThirdPartyTools.Python, PahoScript, broker.Host, broker.Port.ToString(CultureInfo.InvariantCulture), "2");
        await paho.WaitForOutputAsync("ready", MosquittoClients.Timeout);

        await PublishAsync("-t", "a/b/c", "-m", "both", "-q", "2");
        await PublishAsync("-t", "a/x", "-m", "marker", "-q", "2");

        Assert.That(await paho.WaitForExitAsync(MosquittoClients.Timeout), Is.Zero, paho.Describe());
        Assert.That(Lines(paho).Skip(1), Is.EqualTo(new[]
        {
            """{"topic": "a/b/c", "payload": "both", "qos": 2, "ids": [1, 2]}""",
            """{"topic": "a/x", "payload": "marker", "qos": 0, "ids": [1]}""",
        }), "one copy at QoS 2 with identifiers 1 (a/#, QoS 0) and 2 (a/+/c, QoS 2); the marker matches a/# only");
    }

    private ExternalProcess Subscriber(params string[] options) => MosquittoClients.StartSubscriber(broker.Port, ["-V", "mqttv5", .. options]);

    private async Task PublishAsync(params string[] options)
    {
        var run = await MosquittoClients.PublishAsync(broker.Port, ["-V", "mqttv5", .. options]);
        Assert.That(run.ExitCode, Is.Zero, run.Error);
    }

    private static string[] Lines(ExternalProcess process) => process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

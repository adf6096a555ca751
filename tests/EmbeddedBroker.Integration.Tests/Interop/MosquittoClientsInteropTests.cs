using EmbeddedBroker.Integration.Tests.Infrastructure;

namespace EmbeddedBroker.Integration.Tests.Interop;

/// <summary>
/// Debian's mosquitto_pub / mosquitto_sub (clients nobody here wrote) against the real host, used exactly as users
/// use them against Mosquitto: every protocol version they speak, every QoS.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class MosquittoClientsInteropTests
{
    private static readonly TimeSpan ProcessTimeout = MosquittoClients.Timeout;
    private InProcessBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await InProcessBroker.StartAsync();

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Message_published_by_mosquitto_pub_reaches_mosquitto_sub_on_wildcard_at_every_qos_and_version(
        [Values("0", "1", "2")] string qos,
        [Values("mqttv31", "mqttv311", "mqttv5")] string version)
    {
        var subscriberId = $"sub-{qos}-{version}";
        using var subscriber = StartSubscriber(subscriberId, "sensors/#", "-q", qos, "-V", version, "-C", "1", "-v");
        await broker.WaitForSubscriptionAsync(subscriberId, "sensors/#");

        var publish = await Publish("-t", "sensors/temperature", "-m", "23.7", "-q", qos, "-V", version);
        Assert.That(publish.ExitCode, Is.Zero, publish.Error);

        Assert.That(await subscriber.WaitForExitAsync(ProcessTimeout), Is.Zero, subscriber.StandardError);
        Assert.That(subscriber.StandardOutput.Trim(), Is.EqualTo("sensors/temperature 23.7"));
    }

    [Test]
    public async Task Retained_message_is_delivered_to_a_late_subscriber_with_retain_flag_MQTT_3_3_1_6()
    {
        var publish = await Publish("-t", "sensors/humidity", "-m", "41", "-r", "-q", "1");
        Assert.That(publish.ExitCode, Is.Zero, publish.Error);

        // %r prints the retain flag of the received PUBLISH.
        var late = await Subscribe("-t", "sensors/#", "-C", "1", "-W", "10", "-F", "%t %p %r");
        Assert.That(late.ExitCode, Is.Zero, late.Error);
        Assert.That(late.Output.Trim(), Is.EqualTo("sensors/humidity 41 1"));
    }

    [Test]
    public async Task Retained_message_is_replaced_by_a_newer_one_MQTT_3_3_1_5()
    {
        await Publish("-t", "sensors/door", "-m", "open", "-r");
        await Publish("-t", "sensors/door", "-m", "closed", "-r");

        var late = await Subscribe("-t", "sensors/door", "-C", "1", "-W", "10");
        Assert.That(late.Output.Trim(), Is.EqualTo("closed"));
    }

    [Test]
    public async Task Empty_retained_publish_clears_the_retained_message_MQTT_3_3_1_10()
    {
        await Publish("-t", "sensors/old", "-m", "stale", "-r");
        await Publish("-t", "sensors/old", "-n", "-r");

        // Nothing retained any more: mosquitto_sub times out (-W) without printing anything.
        var late = await Subscribe("-t", "sensors/old", "-C", "1", "-W", "2");
        Assert.That(late.Output, Is.Empty);
    }

    [Test]
    public async Task Single_and_multi_level_wildcards_select_exactly_the_matching_topics_MQTT_4_7_1()
    {
        using var plus = StartSubscriber("plus", "home/+/temperature", "-C", "2", "-v");
        using var hash = StartSubscriber("hash", "home/kitchen/#", "-C", "3", "-v");
        await broker.WaitForSubscriptionAsync("plus", "home/+/temperature");
        await broker.WaitForSubscriptionAsync("hash", "home/kitchen/#");

        foreach (var (topic, payload) in new[]
                 {
                     ("home/kitchen/temperature", "21"),
                     ("home/garage/door", "open"),
                     ("home/bedroom/temperature", "19"),
                     ("home/kitchen", "k"),
                     ("home/kitchen/light/level", "80"),
                 })
        {
            await Publish("-t", topic, "-m", payload, "-q", "1");
        }

        await plus.WaitForExitAsync(ProcessTimeout);
        await hash.WaitForExitAsync(ProcessTimeout);
        Assert.That(Lines(plus.StandardOutput), Is.EqualTo(new[] { "home/kitchen/temperature 21", "home/bedroom/temperature 19" }));

        // "sport/tennis/#" also matches "sport/tennis" (MQTT-4.7.1-2).
        Assert.That(Lines(hash.StandardOutput), Is.EqualTo(new[] { "home/kitchen/temperature 21", "home/kitchen k", "home/kitchen/light/level 80" }));
    }

    [Test]
    public async Task Root_wildcard_does_not_match_SYS_topics_but_SYS_filter_does_MQTT_4_7_2_1()
    {
        var sys = await Subscribe("-t", "$SYS/#", "-C", "1", "-W", "10", "-v");
        Assert.That(sys.Output, Does.StartWith("$SYS/"), "the broker publishes retained $SYS topics");

        var all = await Subscribe("-t", "#", "-C", "1", "-W", "2", "-v");
        Assert.That(all.Output, Does.Not.Contain("$SYS"));
    }

    [Test]
    public async Task Clients_cannot_publish_to_SYS_topics_MQTT_4_7_2_1()
    {
        using var watcher = StartSubscriber("sys-watch", "$SYS/test/injected", "-C", "1", "-W", "3", "-v");
        await broker.WaitForSubscriptionAsync("sys-watch", "$SYS/test/injected");

        await Publish("-t", "$SYS/test/injected", "-m", "spoof");

        await watcher.WaitForExitAsync(ProcessTimeout);
        Assert.That(watcher.StandardOutput, Is.Empty);
    }

    [Test]
    public async Task Last_will_is_published_when_the_client_is_killed_MQTT_3_1_2_8(
        [Values("mqttv31", "mqttv311", "mqttv5")] string version)
    {
        using var watcher = StartSubscriber("will-watch", "status/#", "-C", "1", "-v", "-q", "1");
        await broker.WaitForSubscriptionAsync("will-watch", "status/#");

        using (var doomed = StartSubscriber("doomed", "anything", "-V", version, "--will-topic", "status/doomed", "--will-payload", "offline", "--will-qos", "1"))
        {
            await broker.WaitForSubscriptionAsync("doomed", "anything");
            doomed.Kill();
        }

        Assert.That(await watcher.WaitForExitAsync(ProcessTimeout), Is.Zero);
        Assert.That(watcher.StandardOutput.Trim(), Is.EqualTo("status/doomed offline"));
    }

    [Test]
    public async Task Last_will_is_not_published_after_a_clean_disconnect_MQTT_3_14_4_3()
    {
        using var watcher = StartSubscriber("will-watch", "status/#", "-C", "1", "-W", "3", "-v");
        await broker.WaitForSubscriptionAsync("will-watch", "status/#");

        // mosquitto_pub ends with DISCONNECT.
        await Publish("-t", "other", "-m", "x", "--will-topic", "status/polite", "--will-payload", "offline");

        await watcher.WaitForExitAsync(ProcessTimeout);
        Assert.That(watcher.StandardOutput, Is.Empty);
    }

    [Test]
    public async Task Persistent_session_receives_qos1_messages_published_while_offline_MQTT_3_1_2_4(
        [Values("mqttv311", "mqttv5")] string version)
    {
        // 5.0: Clean Start=0 (-c) plus a session expiry (-x), or the session ends with the connection (MQTT-3.1.2-11 in 5.0).
        var sessionOptions = version == "mqttv5" ? new[] { "-c", "-x", "3600" } : new[] { "-c" };
        using (var first = StartSubscriber("persistent", "sensors/#", ["-q", "1", "-V", version, .. sessionOptions]))
        {
            await broker.WaitForSubscriptionAsync("persistent", "sensors/#");
            first.Kill();
        }

        await broker.WaitForDisconnectAsync("persistent");
        await Publish("-t", "sensors/a", "-m", "1", "-q", "1");
        await Publish("-t", "sensors/b", "-m", "2", "-q", "2");

        var back = await Subscribe(["-i", "persistent", "-t", "sensors/#", "-q", "1", "-V", version, .. sessionOptions, "-C", "2", "-W", "10", "-v"]);
        Assert.That(back.ExitCode, Is.Zero, back.Error);
        Assert.That(Lines(back.Output), Is.EqualTo(new[] { "sensors/a 1", "sensors/b 2" }));
    }

    [Test]
    public async Task Messages_from_one_publisher_arrive_in_order_MQTT_4_6_0_2([Values("0", "1", "2")] string qos)
    {
        const int count = 200;
        using var subscriber = StartSubscriber("ordered", "seq", "-q", qos, "-C", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await broker.WaitForSubscriptionAsync("ordered", "seq");

        // -l publishes one message per stdin line over a single connection.
        var lines = string.Join('\n', Enumerable.Range(1, count)) + "\n";
        using (var publisher = MosquittoClients.StartPublisher(broker.Port, System.Text.Encoding.ASCII.GetBytes(lines), "-t", "seq", "-l", "-q", qos))
        {
            Assert.That(await publisher.WaitForExitAsync(ProcessTimeout), Is.Zero, publisher.StandardError);
        }

        Assert.That(await subscriber.WaitForExitAsync(ProcessTimeout), Is.Zero);
        Assert.That(Lines(subscriber.StandardOutput), Is.EqualTo(Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    private ExternalProcess StartSubscriber(string clientId, string filter, params string[] options) =>
        MosquittoClients.StartSubscriber(broker.Port, ["-i", clientId, "-t", filter, .. options]);

    private Task<(int ExitCode, string Output, string Error)> Publish(params string[] options) => MosquittoClients.PublishAsync(broker.Port, options);

    private Task<(int ExitCode, string Output, string Error)> Subscribe(params string[] options) => MosquittoClients.SubscribeAsync(broker.Port, options);

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Topics;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Unit;

/// <summary>Mosquitto's topic lines: LOCAL_PREFIX + PATTERN locally, REMOTE_PREFIX + PATTERN remotely.</summary>
public sealed class BridgeTopicMapTests
{
    private static BridgeTopicMap Map(params BridgeTopicOptions[] topics) => new(topics);

    [Test]
    public void Out_line_without_prefixes_keeps_the_topic_and_caps_the_qos()
    {
        var map = Map(new BridgeTopicOptions { Pattern = "sensors/#", Direction = "out", Qos = 1 });

        Assert.That(map.TryMapOut("sensors/t", MqttQualityOfService.ExactlyOnce, out var remote, out var qos), Is.True);
        Assert.That(remote, Is.EqualTo("sensors/t"));
        Assert.That(qos, Is.EqualTo(MqttQualityOfService.AtLeastOnce), "the lower of the message's QoS and the line's");
        Assert.That(map.TryMapOut("other/t", MqttQualityOfService.AtLeastOnce, out _, out _), Is.False);
        Assert.That(map.RemoteSubscriptions, Is.Empty, "an out line subscribes to nothing remotely");
    }

    [Test]
    public void Prefixes_are_swapped_in_both_directions()
    {
        var map = Map(new BridgeTopicOptions { Pattern = "t/#", Direction = "both", Qos = 2, LocalPrefix = "local/", RemotePrefix = "site-a/" });

        Assert.That(map.TryMapOut("local/t/1", MqttQualityOfService.AtLeastOnce, out var remote, out _), Is.True);
        Assert.That(remote, Is.EqualTo("site-a/t/1"));
        Assert.That(map.TryMapIn("site-a/t/2", out var local), Is.True);
        Assert.That(local, Is.EqualTo("local/t/2"));
        Assert.That(map.RemoteSubscriptions, Is.EqualTo(new[] { ("site-a/t/#", MqttQualityOfService.ExactlyOnce) }));
        Assert.That(map.TryMapOut("t/1", MqttQualityOfService.AtLeastOnce, out _, out _), Is.False, "without the local prefix it is not bridged");
    }

    [Test]
    public void Empty_pattern_maps_exactly_one_topic_to_another()
    {
        var map = Map(new BridgeTopicOptions { Pattern = "", Direction = "in", Qos = 0, LocalPrefix = "here/status", RemotePrefix = "there/status" });

        Assert.That(map.TryMapIn("there/status", out var local), Is.True);
        Assert.That(local, Is.EqualTo("here/status"));
        Assert.That(map.TryMapIn("there/status/x", out _), Is.False);
    }

    [Test]
    public void In_only_line_sends_nothing_out_and_first_matching_line_decides()
    {
        var map = Map(
            new BridgeTopicOptions { Pattern = "a/#", Direction = "in", Qos = 1 },
            new BridgeTopicOptions { Pattern = "a/b", Direction = "out", Qos = 0, RemotePrefix = "first/" },
            new BridgeTopicOptions { Pattern = "a/#", Direction = "out", Qos = 2, RemotePrefix = "second/" });

        Assert.That(map.TryMapOut("a/b", MqttQualityOfService.ExactlyOnce, out var remote, out var qos), Is.True);
        Assert.That((remote, qos), Is.EqualTo(("first/a/b", MqttQualityOfService.AtMostOnce)));
        Assert.That(map.TryMapOut("a/c", MqttQualityOfService.ExactlyOnce, out remote, out _), Is.True);
        Assert.That(remote, Is.EqualTo("second/a/c"));
    }

    [Test]
    public void Root_wildcard_does_not_bridge_dollar_topics_MQTT_4_7_2_1()
    {
        var map = Map(new BridgeTopicOptions { Pattern = "#", Direction = "out", Qos = 1 });

        Assert.That(map.TryMapOut("$SYS/broker/uptime", MqttQualityOfService.AtMostOnce, out _, out _), Is.False);
    }
}

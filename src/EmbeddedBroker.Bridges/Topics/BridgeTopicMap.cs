using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bridges.Topics;

/// <summary>
/// A bridge's topic lines, as Mosquitto reads them: local topics are LOCAL_PREFIX + PATTERN, remote ones
/// REMOTE_PREFIX + PATTERN; a message crossing the bridge loses the prefix of its side and gains the other's. The first
/// line that matches decides (its QoS and prefixes), as for a Mosquitto bridge.
/// </summary>
internal sealed class BridgeTopicMap
{
    private readonly BridgeTopic[] _out;
    private readonly BridgeTopic[] _in;

    public BridgeTopicMap(IEnumerable<BridgeTopicOptions> topics)
    {
        var all = topics.Select(t => new BridgeTopic(t)).ToArray();
        _out = [.. all.Where(t => t.Options.IsOut)];
        _in = [.. all.Where(t => t.Options.IsIn)];
    }

    public bool HasOut => _out.Length > 0;

    /// <summary>The remote subscriptions of the "in" lines: REMOTE_PREFIX + PATTERN at the line's QoS.</summary>
    public IReadOnlyList<(string Filter, MqttQualityOfService Qos)> RemoteSubscriptions =>
        [.. _in.Select(t => (t.RemoteFilter, (MqttQualityOfService)t.Options.Qos)).DistinctBy(s => s.RemoteFilter)];

    /// <summary>Where a local message goes: the remote topic and the QoS it is sent at; false when no "out" line matches.</summary>
    public bool TryMapOut(string localTopic, MqttQualityOfService qos, out string remoteTopic, out MqttQualityOfService sentQos)
    {
        foreach (var topic in _out)
        {
            if (MqttTopic.Matches(topic.LocalFilter, localTopic))
            {
                remoteTopic = Swap(localTopic, topic.Options.LocalPrefix, topic.Options.RemotePrefix);
                sentQos = (MqttQualityOfService)Math.Min((int)qos, topic.Options.Qos);
                return true;
            }
        }

        remoteTopic = "";
        sentQos = default;
        return false;
    }

    /// <summary>Where a remote message lands locally; false when no "in" line matches (the remote sent what was not asked).</summary>
    public bool TryMapIn(string remoteTopic, out string localTopic)
    {
        foreach (var topic in _in)
        {
            if (MqttTopic.Matches(topic.RemoteFilter, remoteTopic))
            {
                localTopic = Swap(remoteTopic, topic.Options.RemotePrefix, topic.Options.LocalPrefix);
                return true;
            }
        }

        localTopic = "";
        return false;
    }

    private static string Swap(string topic, string? from, string? to)
    {
        var rest = from is { Length: > 0 } && topic.StartsWith(from, StringComparison.Ordinal) ? topic[from.Length..] : topic;
        return to is { Length: > 0 } ? to + rest : rest;
    }

    private sealed class BridgeTopic(BridgeTopicOptions options)
    {
        public BridgeTopicOptions Options { get; } = options;

        public string LocalFilter { get; } = (options.LocalPrefix ?? "") + options.Pattern;

        public string RemoteFilter { get; } = (options.RemotePrefix ?? "") + options.Pattern;
    }
}

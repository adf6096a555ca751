using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Topic aliases the broker sets up towards an MQTT 5 client, up to the client's Topic Alias Maximum (MQTT-3.2.2-17 on
/// its side, MQTT-3.1.2-26: never above it) and the broker's own per-connection bound: the first topics sent get an
/// alias (sent once with the topic, then with an empty topic), later ones go in full. Writer loop only. The alias-only
/// property sets are built once per alias, so a message without other properties costs no allocation.
/// </summary>
internal sealed class OutboundTopicAliases(int maximum)
{
    private readonly Dictionary<string, ushort> _aliases = new(StringComparer.Ordinal);
    private MqttProperties?[]? _aliasOnly;

    /// <summary>The topic and properties to send: (topic, properties with its alias) the first time, ("", alias) after.</summary>
    public (string Topic, MqttProperties Properties) Apply(string topic, MqttProperties properties)
    {
        if (_aliases.TryGetValue(topic, out var alias))
            return ("", WithAlias(properties, alias));
        if (_aliases.Count >= maximum)
            return (topic, properties);
        alias = (ushort)(_aliases.Count + 1);
        _aliases.Add(topic, alias);
        return (topic, WithAlias(properties, alias));
    }

    private MqttProperties WithAlias(MqttProperties properties, ushort alias)
    {
        if (!properties.IsEmpty)
            return properties with { TopicAlias = alias };
        _aliasOnly ??= new MqttProperties?[maximum + 1];
        return _aliasOnly[alias] ??= new MqttProperties { TopicAlias = alias };
    }
}

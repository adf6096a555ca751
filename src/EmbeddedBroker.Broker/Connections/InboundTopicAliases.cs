namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Topic aliases a client set up towards the broker (MQTT 5 3.3.2.3.4): alias -> topic, up to the Topic Alias Maximum
/// the broker announced, for this network connection only (MQTT-3.3.2-7). Read loop only.
/// </summary>
internal sealed class InboundTopicAliases(int maximum)
{
    private readonly string?[] _topics = new string?[maximum + 1];

    /// <summary>A PUBLISH with a topic and an alias (re)defines the alias; one with only an alias uses it. False when the
    /// alias is used before it was defined (a Protocol Error).</summary>
    public bool TryResolve(ushort alias, string topic, out string resolved)
    {
        if (topic.Length > 0)
        {
            _topics[alias] = topic;
            resolved = topic;
            return true;
        }

        resolved = _topics[alias] ?? "";
        return resolved.Length > 0;
    }
}

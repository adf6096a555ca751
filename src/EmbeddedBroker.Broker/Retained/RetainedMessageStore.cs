using System.Collections.Concurrent;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Retained;

/// <summary>
/// The last retained message per topic (MQTT-3.3.1-5). A retained PUBLISH with an empty payload removes the
/// topic's message (MQTT-3.3.1-10/11). On subscribe the new filter is matched against the retained topics only.
/// </summary>
internal sealed class RetainedMessageStore
{
    private readonly ConcurrentDictionary<string, MqttApplicationMessage> _messages = new(StringComparer.Ordinal);

    public int Count => _messages.Count;

    /// <summary>Stores, replaces or (empty payload) clears the retained message of the message's topic.</summary>
    public void Apply(MqttApplicationMessage message)
    {
        if (message.Payload.IsEmpty)
            _messages.TryRemove(message.Topic, out _);
        else
            _messages[message.Topic] = message;
    }

    /// <summary>Appends the retained messages whose topic matches <paramref name="topicFilter"/>.</summary>
    public void CollectMatches(string topicFilter, List<MqttApplicationMessage> results)
    {
        if (!topicFilter.Contains('+') && !topicFilter.Contains('#'))
        {
            if (_messages.TryGetValue(topicFilter, out var exact))
                results.Add(exact);
            return;
        }

        var filterStartsWithWildcard = topicFilter[0] is '+' or '#';
        foreach (var (topic, message) in _messages)
        {
            // MQTT-4.7.2-1: filters starting with a wildcard never match topics starting with '$'.
            if (filterStartsWithWildcard && topic.StartsWith('$'))
                continue;
            if (MqttTopic.Matches(topicFilter, topic))
                results.Add(message);
        }
    }

    public IReadOnlyList<MqttApplicationMessage> Snapshot() => [.. _messages.Values];
}

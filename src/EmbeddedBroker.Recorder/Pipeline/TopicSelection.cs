using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>Which accepted messages are recorded, decided on the publisher's thread before anything is queued.</summary>
internal sealed class TopicSelection(IReadOnlyList<string> filters)
{
    private readonly string[] filters = [.. filters];

    /// <summary>
    /// With no filter configured: every topic except those starting with '$' ($SYS/#), which is what '#' matches
    /// [MQTT-4.7.2-1]. Otherwise: topics matching at least one filter.
    /// </summary>
    public bool Includes(string topic)
    {
        if (filters.Length == 0)
        {
            return topic.Length > 0 && topic[0] != '$';
        }

        foreach (var filter in filters)
        {
            if (MqttTopic.Matches(filter, topic))
            {
                return true;
            }
        }

        return false;
    }
}

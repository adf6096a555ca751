using System.Globalization;

namespace EmbeddedBroker.Bridges.Statistics;

/// <summary>Each bridge's figures under $SYS/broker/bridges/NAME/... at every SysInterval (state, queue, counters).
/// The connection state itself is also published at once, on Mosquitto's notification topic.</summary>
internal sealed class BridgeSysTopics(BridgeStatusProvider provider) : ISysTopicSource
{
    public void AddSysTopics(ICollection<KeyValuePair<string, string>> topics)
    {
        foreach (var s in provider.Bridges)
        {
            var prefix = $"bridges/{s.Name}/";
            Add(topics, prefix + "state", BridgeStatus.StateName(s.State));
            Add(topics, prefix + "queue/messages", s.QueueMessages);
            Add(topics, prefix + "queue/bytes", s.QueueBytes);
            Add(topics, prefix + "messages/queued", s.Queued);
            Add(topics, prefix + "messages/sent", s.Sent);
            Add(topics, prefix + "messages/acknowledged", s.Acknowledged);
            Add(topics, prefix + "messages/dropped", s.Dropped);
            Add(topics, prefix + "messages/rejected", s.Rejected);
            Add(topics, prefix + "messages/received", s.Received);
            Add(topics, prefix + "reconnects", s.Reconnects);
        }
    }

    private static void Add(ICollection<KeyValuePair<string, string>> topics, string topic, long value) =>
        topics.Add(new(topic, value.ToString(CultureInfo.InvariantCulture)));

    private static void Add(ICollection<KeyValuePair<string, string>> topics, string topic, string value) => topics.Add(new(topic, value));
}

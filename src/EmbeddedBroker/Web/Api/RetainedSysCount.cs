using EmbeddedBroker.Broker;

namespace EmbeddedBroker.Web.Api;

/// <summary>
/// How many retained messages are the broker's own $SYS topics, so "retained" in /api/stats counts the users' messages
/// only. Counting walks the retained snapshot, so the answer is kept for a few seconds: the dashboard polls every 2 s
/// and a broker may hold a million retained messages.
/// </summary>
internal sealed class RetainedSysCount(MqttBroker broker)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly Lock gate = new();
    private long count;
    private long countedAt = long.MinValue;

    public long Get()
    {
        lock (gate)
        {
            var now = Environment.TickCount64;
            if (countedAt == long.MinValue || now - countedAt > Lifetime.TotalMilliseconds)
            {
                count = broker.GetRetainedMessages().Count(m => m.Topic.StartsWith('$'));
                countedAt = now;
            }

            return count;
        }
    }
}

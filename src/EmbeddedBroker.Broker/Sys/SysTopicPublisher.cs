using System.Globalization;
using System.Text;
using EmbeddedBroker.Broker.Core;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sys;

/// <summary>
/// Broker statistics under $SYS/broker/..., Mosquitto's topic names, published retained through the publish pipeline
/// (so observers see them and '#' subscribers do not: MQTT-4.7.2-1). The only source allowed to write '$' topics.
/// </summary>
internal sealed class SysTopicPublisher(IBrokerCore core, IReadOnlyList<ISysTopicSource> sources)
{
    public const string VersionTopic = "$SYS/broker/version";

    private long _nextDueAt;

    public static string VersionText { get; } =
        "EmbeddedBroker " + (typeof(MqttBroker).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public void PublishStaticTopics() => Publish(VersionTopic, VersionText);

    public void PublishIfDue()
    {
        var now = Environment.TickCount64;
        if (now < _nextDueAt)
            return;
        _nextDueAt = now + (long)core.Options.SysInterval.TotalMilliseconds;

        var s = core.Statistics;
        Publish("$SYS/broker/uptime", $"{(long)(DateTimeOffset.UtcNow - s.StartedAt).TotalSeconds} seconds");
        Publish("$SYS/broker/clients/connected", s.ConnectionsCurrent);
        Publish("$SYS/broker/clients/total", s.SessionsCount);
        Publish("$SYS/broker/messages/received", s.MessagesReceived);
        Publish("$SYS/broker/messages/sent", s.MessagesSent);
        Publish("$SYS/broker/messages/dropped", s.MessagesDroppedQueueFull);
        Publish("$SYS/broker/bytes/received", s.BytesReceived);
        Publish("$SYS/broker/bytes/sent", s.BytesSent);
        Publish("$SYS/broker/retained messages/count", s.RetainedCount);
        Publish("$SYS/broker/subscriptions/count", s.SubscriptionsCount);
        Publish("$SYS/broker/heap/held bytes", s.HeldBytes);
        if (sources.Count == 0)
            return;
        var extra = new List<KeyValuePair<string, string>>();
        foreach (var source in sources)
            source.AddSysTopics(extra);
        foreach (var (name, value) in extra)
            Publish("$SYS/broker/" + name, value);
    }

    private void Publish(string topic, long value) => Publish(topic, value.ToString(CultureInfo.InvariantCulture));

    private void Publish(string topic, string value)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = Encoding.UTF8.GetBytes(value),
            Qos = MqttQualityOfService.AtMostOnce,
            Retain = true,
            Source = MessageSource.System,
        };
        var pending = core.Pipeline.PublishAsync(message, publisher: null, congestion: null, core.Stopping);
        if (!pending.IsCompletedSuccessfully)
            _ = pending.AsTask(); // an async authorizer: let it finish on its own
    }
}

using System.Text;
using System.Text.Unicode;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Web.Messages;

namespace EmbeddedBroker.Web.Api;

/// <summary>Maps broker and recorder objects to the API's JSON shapes.</summary>
internal static class ApiResponses
{
    public static ClientResponse ToResponse(ConnectedClientInfo client) => new(
        client.ClientId,
        client.RemoteEndPoint,
        VersionText(client.ProtocolVersion),
        client.Transport,
        client.ConnectedAt,
        client.Subscriptions.Select(s => new SubscriptionResponse(s.TopicFilter, (int)s.Qos)).ToList());

    public static MessageResponse ToResponse(MqttApplicationMessage message)
    {
        var payload = message.Payload.Span;
        var isText = Utf8.IsValid(payload);
        return new MessageResponse(
            message.Topic,
            isText ? Encoding.UTF8.GetString(payload) : Convert.ToBase64String(payload),
            isText ? "utf8" : "base64",
            payload.Length,
            (int)message.Qos,
            message.Retain,
            message.Source.ToString(),
            message.SourceClientId,
            message.ReceivedAt);
    }

    public static StatsResponse Stats(BrokerStatistics broker, RecorderStatistics? recorder, RecentMessageLog recent,
        IReadOnlyList<Bridges.Statistics.BridgeStatus> bridges, DateTimeOffset now) => new(
        broker.StartedAt,
        Math.Round((now - broker.StartedAt).TotalSeconds, 3),
        new ConnectionStats(broker.ConnectionsCurrent, broker.ConnectionsTotal, broker.ConnectionsRejected),
        new MessageStats(broker.MessagesReceived, broker.MessagesSent, broker.MessagesDroppedQueueFull, broker.MessagesDroppedTooLarge),
        new ByteStats(broker.BytesReceived, broker.BytesSent),
        broker.RetainedCount,
        broker.SessionsCount,
        broker.SubscriptionsCount,
        recorder is null
            ? new RecorderStats(0, 0, 0, 0, 0, null)
            : new RecorderStats(recorder.Enqueued, recorder.Recorded, recorder.Dropped, recorder.QueueDepth, recorder.WriteErrors, recorder.LastError),
        new RecentMessagesStats(recent.Count, recent.Capacity),
        bridges);

    public static string VersionText(MqttProtocolVersion version) => version switch
    {
        MqttProtocolVersion.V310 => "3.1",
        MqttProtocolVersion.V311 => "3.1.1",
        MqttProtocolVersion.V500 => "5.0",
        _ => version.ToString(),
    };
}

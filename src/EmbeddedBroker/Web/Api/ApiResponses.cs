using EmbeddedBroker.Broker;
using EmbeddedBroker.Hosting.Admission;
using EmbeddedBroker.Persistence.Sqlite;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Recorder.Options;
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

    public static MessageResponse ToResponse(HistoryEntry entry)
    {
        var message = entry.Message;
        var (payload, encoding) = PayloadText.Of(message.Payload.Span, entry.IsPayloadCut);
        return new MessageResponse(
            entry.Id,
            message.Topic,
            payload,
            encoding,
            entry.PayloadBytes,
            entry.IsPayloadCut,
            (int)message.Qos,
            message.Retain,
            message.Source.ToString(),
            message.SourceClientId,
            message.ReceivedAt,
            message.Properties.ContentType);
    }

    public static RetainedResponse ToRetained(MqttApplicationMessage message, int previewBytes)
    {
        var cut = message.Payload.Length > previewBytes;
        var (payload, encoding) = PayloadText.Of(cut ? message.Payload.Span[..previewBytes] : message.Payload.Span, cut);
        return new RetainedResponse(message.Topic, payload, encoding, message.Payload.Length, cut, (int)message.Qos, message.SourceClientId, message.ReceivedAt);
    }

    public static DeliveryResponse ToResponse(DeliveryEntry entry) =>
        new(entry.Id, entry.AcknowledgedAt, entry.ClientId, entry.Topic, entry.Qos, entry.PublisherClientId, entry.MessageReceivedAt);

    public static StatsResponse Stats(BrokerStatistics broker, long retainedSys, RecorderStatistics? recorder, RecorderOptions? recorderOptions,
        RecentMessageLog recent, IMessageHistory history, ConnectionAdmission? admission, PersistenceStatistics? store,
        IReadOnlyList<Bridges.Statistics.BridgeStatus> bridges, DateTimeOffset now) => new(
        broker.StartedAt,
        Math.Round((now - broker.StartedAt).TotalSeconds, 3),
        new ConnectionStats(broker.ConnectionsCurrent, broker.ConnectionsTotal, broker.ConnectionsRejected,
            admission?.Capacity is { } capacity && capacity < long.MaxValue ? capacity : null,
            admission is null ? null : new AcceptRefusalStats(admission.Refused(AdmissionRefusal.Capacity), admission.Refused(AdmissionRefusal.PerAddressLimit),
                admission.Refused(AdmissionRefusal.ConnectRate), admission.Refused(AdmissionRefusal.OutOfResources))),
        new MessageStats(broker.MessagesReceived, broker.MessagesSent, broker.MessagesDroppedQueueFull, broker.MessagesDroppedTooLarge,
            broker.MessagesDroppedMemory, broker.PublishesRefusedMemory, broker.PublishesToDollarTopicsDropped, broker.PublishesNotAuthorized),
        new ByteStats(broker.BytesReceived, broker.BytesSent),
        Math.Max(0, broker.RetainedCount - retainedSys),
        retainedSys,
        broker.SessionsCount,
        broker.SubscriptionsCount,
        Recorder(recorder, recorderOptions, history),
        new RecentMessagesStats(recent.Count, recent.Capacity, recent.Bytes, recent.MaxBytes),
        Store(store),
        bridges);

    public static string VersionText(MqttProtocolVersion version) => version switch
    {
        MqttProtocolVersion.V310 => "3.1",
        MqttProtocolVersion.V311 => "3.1.1",
        MqttProtocolVersion.V500 => "5.0",
        _ => version.ToString(),
    };

    private static StoreStats? Store(PersistenceStatistics? store) => store is not { Enabled: true }
        ? null
        : new StoreStats(store.Path, store.FileBytes, store.PendingChanges, store.PendingBytes, store.Commits, store.ChangesCommitted,
            store.WriteErrors, store.DroppedChanges, store.Degraded, store.Resynchronisations, store.LastCommitAt,
            Math.Round(store.LastCommitDuration.TotalMilliseconds, 3), store.LastErrorMessage, store.LastErrorAt, store.MovedAsidePath,
            Math.Round(store.LoadDuration.TotalMilliseconds, 3));

    private static RecorderStats Recorder(RecorderStatistics? recorder, RecorderOptions? options, IMessageHistory history)
    {
        var format = options is null ? "" : options.Enabled ? options.Format : "off";
        var deliveries = options is { Enabled: true, RecordDeliveries: true };
        return recorder is null
            ? new RecorderStats(0, 0, 0, 0, 0, null, null, null, 0, format, [], deliveries, 0, 0, 0, history.Description)
            : new RecorderStats(recorder.Enqueued, recorder.Recorded, recorder.Dropped, recorder.QueueDepth, recorder.WriteErrors, recorder.LastError,
                recorder.LastErrorAt, recorder.LastCommitAt, recorder.QueueBytes, format, recorder.Outputs, deliveries, recorder.DeliveriesRecorded,
                recorder.DeliveriesDropped, recorder.RetentionDeleted, history.Description);
    }
}

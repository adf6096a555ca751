namespace EmbeddedBroker.Web.Api;

/// <summary>Answer of POST /api/publish.</summary>
public sealed record PublishResponse(string Status, string Topic, int PayloadBytes, int Qos, bool Retain);

/// <summary>One entry of GET /api/clients.</summary>
public sealed record ClientResponse(
    string ClientId,
    string Address,
    string ProtocolVersion,
    string Transport,
    DateTimeOffset ConnectedAt,
    IReadOnlyList<SubscriptionResponse> Subscriptions);

public sealed record SubscriptionResponse(string TopicFilter, int Qos);

/// <summary>
/// One entry of GET /api/messages. <see cref="Payload"/> is the UTF-8 text when the payload is valid UTF-8
/// (<see cref="Encoding"/> "utf8"), else its base64 (<see cref="Encoding"/> "base64"); at most a preview of
/// Web:Api:PayloadPreviewBytes (<see cref="Truncated"/> true: GET /api/messages/{id}/payload has all
/// <see cref="PayloadBytes"/>). <see cref="Qos"/> and <see cref="Retain"/> are as published.
/// </summary>
public sealed record MessageResponse(
    long Id,
    string Topic,
    string Payload,
    string Encoding,
    int PayloadBytes,
    bool Truncated,
    int Qos,
    bool Retain,
    string Source,
    string? ClientId,
    DateTimeOffset ReceivedAt,
    string? ContentType);

/// <summary>One entry of GET /api/retained: the retained message of a topic (payload previewed as in MessageResponse).</summary>
public sealed record RetainedResponse(string Topic, string Payload, string Encoding, int PayloadBytes, bool Truncated, int Qos, string? ClientId, DateTimeOffset ReceivedAt);

/// <summary>One entry of GET /api/deliveries: <see cref="ClientId"/> acknowledged a message of <see cref="Topic"/> (PUBACK / PUBCOMP).</summary>
public sealed record DeliveryResponse(long Id, DateTimeOffset AcknowledgedAt, string ClientId, string Topic, int Qos, string? PublisherClientId, DateTimeOffset MessageReceivedAt);

/// <summary>GET /api/stats.</summary>
public sealed record StatsResponse(
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    ConnectionStats Connections,
    MessageStats Messages,
    ByteStats Bytes,
    long Retained,
    long RetainedSys,
    long Sessions,
    long Subscriptions,
    RecorderStats Recorder,
    RecentMessagesStats RecentMessages,
    StoreStats? Store,
    IReadOnlyList<EmbeddedBroker.Bridges.Statistics.BridgeStatus> Bridges);

/// <summary>Rejected: refused at CONNECT (credentials, protocol). Capacity and RefusedAtAccept: the admission at
/// accept (Connections section): how many may be open at once, and sockets closed at once by reason.</summary>
public sealed record ConnectionStats(long Current, long Total, long Rejected, long? Capacity, AcceptRefusalStats? RefusedAtAccept);

public sealed record AcceptRefusalStats(long Capacity, long PerAddressLimit, long ConnectRate, long OutOfResources);

public sealed record MessageStats(long Received, long Sent, long DroppedQueueFull, long DroppedTooLarge, long DroppedMemory, long RefusedMemory,
    long DroppedDollarTopic, long NotAuthorized);

public sealed record ByteStats(long Received, long Sent);

public sealed record RecorderStats(long Enqueued, long Recorded, long Dropped, int QueueDepth, long WriteErrors, string? LastError,
    DateTimeOffset? LastErrorAt, DateTimeOffset? LastFlushAt, long QueueBytes, string Format, IReadOnlyList<string> Outputs,
    bool RecordsDeliveries, long DeliveriesRecorded, long DeliveriesDropped, long RetentionDeleted, string History);

public sealed record RecentMessagesStats(int Count, int Capacity, long Bytes, long MaxBytes);

/// <summary>The state store (Persistence section), null when persistence is off. Pending: handed over, not yet
/// committed (bounded by MaximumPendingChanges/Bytes); Dropped: lost because that bound or the disk refused them;
/// Degraded: the file may lag the broker until the next resynchronisation; MovedAside: a damaged store found at start.</summary>
public sealed record StoreStats(string? Path, long FileBytes, long PendingChanges, long PendingBytes, long Commits, long ChangesCommitted,
    long WriteErrors, long DroppedChanges, bool Degraded, long Resynchronisations, DateTimeOffset? LastCommitAt, double LastCommitMilliseconds,
    string? LastError, DateTimeOffset? LastErrorAt, string? MovedAside, double LoadMilliseconds);

/// <summary>GET /healthz.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

public sealed record HealthCheckResponse(string Status, string? Description);

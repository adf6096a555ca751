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
/// (<see cref="Encoding"/> "utf8"), else its base64 (<see cref="Encoding"/> "base64").
/// </summary>
public sealed record MessageResponse(
    string Topic,
    string Payload,
    string Encoding,
    int PayloadBytes,
    int Qos,
    bool Retain,
    string Source,
    string? ClientId,
    DateTimeOffset ReceivedAt);

/// <summary>GET /api/stats.</summary>
public sealed record StatsResponse(
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    ConnectionStats Connections,
    MessageStats Messages,
    ByteStats Bytes,
    long Retained,
    long Sessions,
    long Subscriptions,
    RecorderStats Recorder,
    RecentMessagesStats RecentMessages,
    IReadOnlyList<EmbeddedBroker.Bridges.Statistics.BridgeStatus> Bridges);

public sealed record ConnectionStats(long Current, long Total, long Rejected);

public sealed record MessageStats(long Received, long Sent, long DroppedQueueFull, long DroppedTooLarge);

public sealed record ByteStats(long Received, long Sent);

public sealed record RecorderStats(long Enqueued, long Recorded, long Dropped, int QueueDepth, long WriteErrors, string? LastError);

public sealed record RecentMessagesStats(int Count, int Capacity);

/// <summary>GET /healthz.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

public sealed record HealthCheckResponse(string Status, string? Description);

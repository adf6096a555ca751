using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker;

/// <summary>One topic filter a client is subscribed to, with the QoS granted.</summary>
public sealed record SubscriptionInfo(string TopicFilter, MqttQualityOfService Qos);

/// <summary>A snapshot of a connected client, for the console UI and the HTTP API.</summary>
public sealed record ConnectedClientInfo(
    string ClientId,
    string RemoteEndPoint,
    MqttProtocolVersion ProtocolVersion,
    string Transport,
    DateTimeOffset ConnectedAt,
    IReadOnlyList<SubscriptionInfo> Subscriptions);

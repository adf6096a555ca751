namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>Who a connected client is, as the authorization hooks see it: its client id, the user name it was
/// authenticated as (null when anonymous) and the connection it came in on.</summary>
public sealed record MqttClientIdentity(string ClientId, string? Username, MqttConnectionContext Connection);

namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Decides whether a message may enter the broker ("write" access), for every source: a client's PUBLISH and will
/// (<paramref name="publisher"/> is that client), and messages the broker or the application originate
/// (HTTP API, simulator: the identity given there, or null). Refused client messages are still acknowledged
/// (3.1.1 has no way to say no; MQTT 5 gets reason 0x87) and never delivered.
/// Without a registered authorizer everything is allowed.
/// </summary>
public interface IPublishAuthorizer
{
    ValueTask<bool> AuthorizePublishAsync(MqttClientIdentity? publisher, MqttApplicationMessage message, CancellationToken cancellationToken);
}

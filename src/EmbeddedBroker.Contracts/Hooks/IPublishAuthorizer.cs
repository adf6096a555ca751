namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Decides whether a message may enter the broker (every source: clients, wills, API, simulator).
/// Refused client messages are still acknowledged (3.1.1 has no way to say no; MQTT 5 gets reason 0x87) and never delivered.
/// Without a registered authorizer everything is allowed.
/// </summary>
public interface IPublishAuthorizer
{
    ValueTask<bool> AuthorizePublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken);
}

namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Decides whether a client may subscribe to a topic filter. A refused filter gets its own failure code in SUBACK
/// (3.1.1: 0x80; 5.0: 0x87 Not authorized) while the other filters of the packet are granted.
/// Without a registered authorizer every valid filter is granted.
/// </summary>
public interface ISubscribeAuthorizer
{
    ValueTask<bool> AuthorizeSubscribeAsync(MqttClientIdentity subscriber, string topicFilter, CancellationToken cancellationToken);
}

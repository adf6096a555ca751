namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Decides, for every delivery, whether a subscriber may receive a message ("read" access): live messages, retained
/// messages sent on subscribe and wills alike, so a '#' subscriber never receives a denied sub-tree. Checked when the
/// message is about to be queued for the subscriber, so rights withdrawn by a reload apply from the next message.
/// Runs on the publisher's thread for each matching subscriber: it must be fast, synchronous and never block
/// (cache decisions per subscriber and topic). Without a registered authorizer every match is delivered.
/// </summary>
public interface IDeliveryAuthorizer
{
    bool MayDeliver(MqttClientIdentity subscriber, MqttApplicationMessage message);
}

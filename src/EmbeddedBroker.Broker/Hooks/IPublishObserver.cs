namespace EmbeddedBroker.Broker.Hooks;

/// <summary>
/// Sees every message accepted by the publish pipeline, whatever its source (client, will, $SYS, API, simulator),
/// after validation and authorization and before retain and fan-out.
/// Called on the publishing connection's thread: implementations must return at once and never block
/// (hand the message to a bounded queue, count what does not fit).
/// </summary>
public interface IPublishObserver
{
    void OnMessageAccepted(MqttApplicationMessage message);
}

using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Sees every QoS 1/2 delivery a subscriber acknowledged: PUBACK for QoS 1, PUBCOMP for QoS 2 (a delivery receipt,
/// the seed's "consumptions"). Called on the subscriber's connection, outside any lock: return at once, never block
/// (hand it to a bounded queue, count what does not fit).
/// </summary>
public interface IDeliveryObserver
{
    void OnDeliveryAcknowledged(MqttClientIdentity subscriber, MqttApplicationMessage message, MqttQualityOfService qos);
}

using EmbeddedBroker.Broker.Sessions;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>Told, during fan-out, of every online subscriber session the message left at its back-pressure high-water
/// mark; the publishing connection's throttle implements it and waits for those sessions before reading more.
/// Called synchronously on the publishing thread.</summary>
internal interface ICongestionSink
{
    void OnCongested(MqttSession session);
}

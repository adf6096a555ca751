using EmbeddedBroker.Bridges;
using EmbeddedBroker.Broker;

namespace EmbeddedBroker.Bridging;

/// <summary>The engine's one publish pipeline as the bridges see it: a bridged message is acknowledged to its remote
/// broker only once <see cref="MqttBroker.PublishAndWaitAsync"/> says the broker kept it.</summary>
internal sealed class EngineLocalBroker(MqttBroker broker) : ILocalBroker
{
    public async ValueTask<bool> PublishAsync(MqttApplicationMessage message, MqttClientIdentity? publisher, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await broker.PublishAndWaitAsync(message, publisher, cancellationToken).ConfigureAwait(false);
            return outcome is PublishOutcome.Delivered or PublishOutcome.NoSubscribers;
        }
        catch (ArgumentException)
        {
            return false; // not a valid topic name here (e.g. the remote allows what we do not): acknowledged, not delivered
        }
    }
}

using EmbeddedBroker.Bridges;
using EmbeddedBroker.Broker;

namespace EmbeddedBroker.Bridging;

/// <summary>The engine's one publish pipeline as the bridges see it: the bridge reads its remote at the pace of the
/// local subscribers, and acknowledges a message only once <see cref="MqttBroker.PublishForAcknowledgementAsync"/> says
/// the broker kept it.</summary>
internal sealed class EngineLocalBroker(MqttBroker broker) : ILocalBroker
{
    private static readonly Task<bool> Refused = Task.FromResult(false);

    public async ValueTask<Task<bool>> PublishAsync(MqttApplicationMessage message, MqttClientIdentity? publisher, CancellationToken cancellationToken)
    {
        AcceptedPublish accepted;
        try
        {
            accepted = await broker.PublishForAcknowledgementAsync(message, publisher, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return Refused; // not a valid topic name here (e.g. the remote allows what we do not): acknowledged, not delivered
        }

        var delivered = accepted.Outcome is PublishOutcome.Delivered or PublishOutcome.NoSubscribers;
        return accepted.Kept.IsCompletedSuccessfully ? Task.FromResult(delivered) : KeptAsync(accepted.Kept, delivered);
    }

    private static async Task<bool> KeptAsync(Task kept, bool delivered)
    {
        await kept.ConfigureAwait(false);
        return delivered;
    }
}

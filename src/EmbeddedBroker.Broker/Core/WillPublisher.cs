using EmbeddedBroker.Broker.Publishing;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Core;

/// <summary>Publishes wills through the one pipeline, fire and forget: a closing connection is never held up by its will.</summary>
internal sealed class WillPublisher(PublishPipeline pipeline, BrokerStatistics statistics, ILogger logger, CancellationToken stopping)
{
    /// <summary>Publishes <paramref name="will"/> of the client <paramref name="publisher"/> (its ACL applies).</summary>
    public void Publish(MqttApplicationMessage will, MqttClientIdentity? publisher)
    {
        statistics.WillPublished();
        _ = PublishAsync(will, publisher);
    }

    private async Task PublishAsync(MqttApplicationMessage will, MqttClientIdentity? publisher)
    {
        try
        {
            await pipeline.PublishAsync(will, publisher, congestion: null, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Will of {ClientId} on {Topic} could not be published", will.SourceClientId, will.Topic);
        }
    }
}

namespace EmbeddedBroker.Bridges;

/// <summary>
/// The local broker as a bridge sees it: its one publish pipeline (validated, authorized as the bridge's local client,
/// intercepted, recorded, retained, fanned out). The executable implements it over the engine.
/// </summary>
public interface ILocalBroker
{
    /// <summary>
    /// Publishes <paramref name="message"/> as <paramref name="publisher"/>. Completes once the broker may take the next
    /// message (back-pressure: congested local subscribers have drained, so the bridge reads its remote no faster than
    /// they take it). The returned task completes once the broker has kept the message (observers' receipts, the store's
    /// commit with durable acknowledgements): only then may the bridge acknowledge it to the remote. It faults when the
    /// message could not be kept, and is false when the pipeline refused it (not authorized, a '$' topic, an invalid
    /// topic, dropped by an interceptor): it is acknowledged anyway, as a client's would be.
    /// </summary>
    ValueTask<Task<bool>> PublishAsync(MqttApplicationMessage message, MqttClientIdentity? publisher, CancellationToken cancellationToken);
}

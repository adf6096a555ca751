using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    /// <summary>Subscribes and returns the SUBACK reason codes, one per filter in order (MQTT-3.8.4-6): granted QoS or a failure (&gt;= 0x80).</summary>
    public Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(params (string Filter, MqttQualityOfService Qos)[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return SubscribeAsync([.. filters.Select(f => new MqttTopicSubscription(f.Filter, f.Qos))], CancellationToken.None);
    }

    /// <summary>Subscribes with full MQTT 5 options (No Local, Retain As Published, Retain Handling).</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellationToken, MqttProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3).", nameof(subscriptions));
        }

        foreach (var subscription in subscriptions)
        {
            ThrowIfInvalidFilter(subscription.TopicFilter, nameof(subscriptions));
        }

        var operation = new PendingOperation(PendingKind.Subscribe, subscriptions.Count);
        _pending.Register(operation);
        var packet = new SubscribePacket { PacketId = operation.PacketId, Subscriptions = subscriptions, Properties = properties ?? MqttProperties.Empty };
        return await SendAndAwaitAsync(packet, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes. Returns the UNSUBACK reason codes for 5.0; Success per filter for 3.x, whose UNSUBACK has none.</summary>
    public Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(params string[] filters) => UnsubscribeAsync(filters, CancellationToken.None);

    public async Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2).", nameof(filters));
        }

        foreach (var filter in filters)
        {
            ThrowIfInvalidFilter(filter, nameof(filters));
        }

        var operation = new PendingOperation(PendingKind.Unsubscribe, filters.Count);
        _pending.Register(operation);
        var packet = new UnsubscribePacket { PacketId = operation.PacketId, TopicFilters = filters };
        return await SendAndAwaitAsync(packet, operation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<MqttReasonCode>> SendAndAwaitAsync(MqttPacket packet, PendingOperation operation, CancellationToken cancellationToken)
    {
        if (!_outgoing.Writer.TryWrite(OutgoingPacket.ForPacket(packet)))
        {
            _pending.Remove(operation);
            throw new MqttConnectionClosedException();
        }

        var reasonCodes = await operation.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return reasonCodes!;
    }

    private static void ThrowIfInvalidFilter(string filter, string parameterName)
    {
        if (filter is null || !MqttTopic.IsValidTopicFilter(filter))
        {
            throw new ArgumentException($"'{filter}' is not a valid topic filter (MQTT-4.7.1).", parameterName);
        }
    }
}

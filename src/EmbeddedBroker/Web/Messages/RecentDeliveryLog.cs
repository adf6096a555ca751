using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Web.Api;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Messages;

/// <summary>
/// The last delivery receipts (Recorder:RecordDeliveries: each QoS 1/2 delivery a subscriber acknowledged), for
/// GET /api/deliveries when no database records them. Bounded in count (Web:Api:RecentDeliveriesCapacity); an entry
/// holds the strings it names (consumer, topic, publisher), never the message, so a receipt does not keep a payload
/// alive. Called on the subscriber's connection: one short lock, no allocation.
/// </summary>
public sealed class RecentDeliveryLog : IDeliveryObserver, IDeliveryHistory
{
    private readonly Lock gate = new();
    private readonly Entry[] ring;
    private readonly bool enabled;
    private long written;

    public RecentDeliveryLog(IOptions<RecorderOptions> recorder, IOptions<WebHistoryOptions> history)
    {
        enabled = recorder.Value.RecordDeliveries;
        ring = new Entry[enabled ? history.Value.RecentDeliveriesCapacity : 1];
    }

    public string Description => $"memory (last {ring.Length} receipts)";

    /// <summary>Whether receipts are recorded at all (Recorder:RecordDeliveries).</summary>
    public bool IsEnabled => enabled;

    public void OnDeliveryAcknowledged(MqttClientIdentity subscriber, MqttApplicationMessage message, MqttQualityOfService qos)
    {
        if (!enabled)
        {
            return;
        }

        var at = DateTimeOffset.UtcNow.UtcTicks;
        lock (gate)
        {
            ring[written % ring.Length] = new Entry(written + 1, at, subscriber.ClientId, message.Topic, (byte)qos, message.SourceClientId, message.ReceivedAt.UtcTicks);
            written++;
        }
    }

    public Task<DeliveryPage> QueryAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        Entry[] snapshot;
        lock (gate)
        {
            var count = (int)Math.Min(written, ring.Length);
            snapshot = new Entry[count];
            for (var i = 0; i < count; i++)
            {
                snapshot[i] = ring[(written - 1 - i) % ring.Length];
            }
        }

        var result = new List<DeliveryEntry>();
        foreach (var entry in snapshot)
        {
            var acknowledgedAt = new DateTimeOffset(entry.AtTicks, TimeSpan.Zero);
            if ((query.Before is { } before && entry.Id >= before) || (query.ClientId is { } client && entry.ClientId != client)
                || (query.From is { } from && acknowledgedAt < from) || (query.To is { } to && acknowledgedAt > to)
                || (query.TopicFilter is { } filter && !MqttTopic.Matches(filter, entry.Topic)))
            {
                continue;
            }

            if (result.Count == query.Limit)
            {
                return Task.FromResult(new DeliveryPage(result, result[^1].Id));
            }

            result.Add(new DeliveryEntry(entry.Id, acknowledgedAt, entry.ClientId, entry.Topic, entry.Qos, entry.Publisher, new DateTimeOffset(entry.MessageTicks, TimeSpan.Zero)));
        }

        return Task.FromResult(new DeliveryPage(result, null));
    }

    private readonly record struct Entry(long Id, long AtTicks, string ClientId, string Topic, byte Qos, string? Publisher, long MessageTicks);
}

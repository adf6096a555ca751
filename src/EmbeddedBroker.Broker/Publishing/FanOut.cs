using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>
/// The last step of the pipeline: hands a message to every matching session once, at the highest QoS among that
/// session's matching subscriptions (MQTT-3.3.5-1, as Mosquitto does), downgraded to that maximum (3.8.4 /
/// MQTT-3.3.5). Forwarded messages carry retain=0 (MQTT-3.3.1-9) unless an MQTT 5 subscription asked Retain As
/// Published. A delivery authorizer (ACL "read") is asked for every session before its queue sees the message.
/// </summary>
internal sealed class FanOut(SubscriptionTree<MqttSession> subscriptions, IDeliveryAuthorizer? deliveryAuthorizer)
{
    [ThreadStatic]
    private static FanOutScratch? t_scratch;

    /// <summary>True when at least one session received the message.</summary>
    public bool Deliver(MqttApplicationMessage message, ICongestionSink? congestion)
    {
        var scratch = t_scratch ??= new FanOutScratch();
        var matches = scratch.Matches;
        try
        {
            subscriptions.Match(message.Topic, matches);
            if (matches.Count == 0)
                return false;

            if (matches.Count == 1)
            {
                var (session, subscription) = matches[0];
                if (!MayDeliver(session, subscription, message))
                    return false;
                Enqueue(session, message, Min(message.Qos, subscription.MaximumQos), subscription.RetainAsPublished && message.Retain, congestion);
                return true;
            }

            return DeliverMerged(message, scratch, congestion);
        }
        finally
        {
            matches.Clear();
        }
    }

    private bool DeliverMerged(MqttApplicationMessage message, FanOutScratch scratch, ICongestionSink? congestion)
    {
        var merged = scratch.Merged;
        try
        {
            foreach (var (session, subscription) in scratch.Matches)
            {
                if (IsNoLocalFor(session, subscription, message))
                    continue;
                var qos = Min(message.Qos, subscription.MaximumQos);
                var retain = subscription.RetainAsPublished && message.Retain;
                if (merged.TryGetValue(session, out var existing))
                    merged[session] = (qos > existing.Qos ? qos : existing.Qos, existing.Retain || retain);
                else if (deliveryAuthorizer is null || deliveryAuthorizer.MayDeliver(session.Identity, message))
                    merged.Add(session, (qos, retain));
            }

            foreach (var (session, (qos, retain)) in merged)
                Enqueue(session, message, qos, retain, congestion);
            return merged.Count > 0;
        }
        finally
        {
            merged.Clear();
        }
    }

    private bool MayDeliver(MqttSession session, MqttTopicSubscription subscription, MqttApplicationMessage message) =>
        !IsNoLocalFor(session, subscription, message) &&
        (deliveryAuthorizer is null || deliveryAuthorizer.MayDeliver(session.Identity, message));

    private static void Enqueue(MqttSession session, MqttApplicationMessage message, MqttQualityOfService qos, bool retain, ICongestionSink? congestion)
    {
        if (session.Enqueue(message, qos, retain))
            congestion?.OnCongested(session);
    }

    /// <summary>MQTT 5 No Local (MQTT-3.8.3-3): not sent back to the client that published it.</summary>
    private static bool IsNoLocalFor(MqttSession session, MqttTopicSubscription subscription, MqttApplicationMessage message) =>
        subscription.NoLocal && message.Source == MessageSource.Client &&
        string.Equals(session.ClientId, message.SourceClientId, StringComparison.Ordinal);

    private static MqttQualityOfService Min(MqttQualityOfService a, MqttQualityOfService b) => a < b ? a : b;

    /// <summary>Per-thread buffers: matching and fan-out run synchronously, so one set per thread suffices and a
    /// publish allocates nothing here.</summary>
    private sealed class FanOutScratch
    {
        public List<SubscriptionMatch<MqttSession>> Matches { get; } = new(16);
        public Dictionary<MqttSession, (MqttQualityOfService Qos, bool Retain)> Merged { get; } = new(ReferenceEqualityComparer.Instance);
    }
}

using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>
/// The last step of the pipeline: hands a message to every matching session once, at the highest QoS among that
/// session's matching subscriptions (MQTT-3.3.5-1, as Mosquitto does), downgraded to that maximum (3.8.4 /
/// MQTT-3.3.5), carrying the identifiers of all of them (MQTT-3.3.4-3, -4); and to one member of each matching shared
/// subscription (MQTT 5.0 4.8.2). Forwarded messages carry retain=0 (MQTT-3.3.1-9) unless an MQTT 5 subscription asked
/// Retain As Published. A delivery authorizer (ACL "read") is asked for every session before its queue sees the message.
/// </summary>
internal sealed class FanOut(SubscriptionTree<MqttSession> subscriptions, IDeliveryAuthorizer? deliveryAuthorizer, SharedSubscriptionPolicy policy)
{
    [ThreadStatic]
    private static FanOutScratch? t_scratch;

    /// <summary>True when at least one session received the message.</summary>
    public bool Deliver(MqttApplicationMessage message, ICongestionSink? congestion)
    {
        var scratch = t_scratch ??= new FanOutScratch();
        var matches = scratch.Matches;
        var groups = scratch.Groups;
        try
        {
            subscriptions.Match(message.Topic, matches, groups);
            var delivered = false;
            if (matches.Count == 1)
            {
                var match = matches[0];
                if (MayDeliver(match.Subscriber, match.Subscription, message))
                {
                    Enqueue(match.Subscriber, message, Min(message.Qos, match.Subscription.MaximumQos),
                        match.Subscription.RetainAsPublished && message.Retain, match.Identifiers, null, congestion);
                    delivered = true;
                }
            }
            else if (matches.Count > 1)
            {
                delivered = DeliverMerged(message, scratch, congestion);
            }

            foreach (var group in groups)
                delivered |= DeliverToOneMember(group, message, congestion);
            return delivered;
        }
        finally
        {
            matches.Clear();
            groups.Clear();
        }
    }

    /// <summary>
    /// Gives the message to one member of a shared subscription: the next online member in round-robin order (or the
    /// online member with the fewest queued messages), skipping those the delivery authorizer refuses; an offline
    /// persistent member only when none is online, so that nothing is queued away from live consumers.
    /// </summary>
    public bool DeliverToOneMember(SharedGroup<MqttSession> group, MqttApplicationMessage message, ICongestionSink? congestion, MqttSession? except = null)
    {
        var members = group.Members;
        if (members.Length == 0)
            return false;
        var chosen = Choose(members, group.NextStart(), message, except, onlineOnly: true)
            ?? Choose(members, group.NextStart(), message, except, onlineOnly: false);
        if (chosen is not { } match)
            return false;
        Enqueue(match.Subscriber, message, Min(message.Qos, match.Subscription.MaximumQos),
            match.Subscription.RetainAsPublished && message.Retain, match.Identifiers, group, congestion);
        return true;
    }

    private SubscriptionMatch<MqttSession>? Choose(SubscriptionMatch<MqttSession>[] members, int start, MqttApplicationMessage message,
        MqttSession? except, bool onlineOnly)
    {
        SubscriptionMatch<MqttSession>? best = null;
        var bestQueued = int.MaxValue;
        for (var k = 0; k < members.Length; k++)
        {
            var candidate = members[(start + k) % members.Length];
            var session = candidate.Subscriber;
            if (ReferenceEquals(session, except) || (onlineOnly && !session.IsOnline) || !Authorized(session, message))
                continue;
            if (policy == SharedSubscriptionPolicy.RoundRobin)
                return candidate;
            var queued = session.QueuedCount;
            if (queued < bestQueued)
            {
                best = candidate;
                bestQueued = queued;
            }
        }

        return best;
    }

    private bool DeliverMerged(MqttApplicationMessage message, FanOutScratch scratch, ICongestionSink? congestion)
    {
        var merged = scratch.Merged;
        try
        {
            foreach (var match in scratch.Matches)
            {
                var session = match.Subscriber;
                var subscription = match.Subscription;
                if (IsNoLocalFor(session, subscription, message))
                    continue;
                var qos = Min(message.Qos, subscription.MaximumQos);
                var retain = subscription.RetainAsPublished && message.Retain;
                if (merged.TryGetValue(session, out var existing))
                    merged[session] = new MergedDelivery(Max(qos, existing.Qos), existing.Retain || retain, Union(existing.Identifiers, match.Identifiers));
                else if (Authorized(session, message))
                    merged.Add(session, new MergedDelivery(qos, retain, match.Identifiers));
            }

            foreach (var (session, delivery) in merged)
                Enqueue(session, message, delivery.Qos, delivery.Retain, delivery.Identifiers, null, congestion);
            return merged.Count > 0;
        }
        finally
        {
            merged.Clear();
        }
    }

    private bool MayDeliver(MqttSession session, MqttTopicSubscription subscription, MqttApplicationMessage message) =>
        !IsNoLocalFor(session, subscription, message) && Authorized(session, message);

    private bool Authorized(MqttSession session, MqttApplicationMessage message) =>
        deliveryAuthorizer is null || deliveryAuthorizer.MayDeliver(session.Identity, message);

    private static void Enqueue(MqttSession session, MqttApplicationMessage message, MqttQualityOfService qos, bool retain,
        IReadOnlyList<uint>? identifiers, SharedGroup<MqttSession>? group, ICongestionSink? congestion)
    {
        if (session.Enqueue(message, qos, retain, identifiers, group))
            congestion?.OnCongested(session);
    }

    /// <summary>The identifiers of two overlapping subscriptions of one session, both sent (MQTT-3.3.4-4); allocates only
    /// when both have one.</summary>
    private static IReadOnlyList<uint>? Union(IReadOnlyList<uint>? first, IReadOnlyList<uint>? second) =>
        first is null ? second : second is null ? first : [.. first, .. second.Where(id => !first.Contains(id))];

    /// <summary>MQTT 5 No Local (MQTT-3.8.3-3): not sent back to the client that published it.</summary>
    private static bool IsNoLocalFor(MqttSession session, MqttTopicSubscription subscription, MqttApplicationMessage message) =>
        subscription.NoLocal && message.Source == MessageSource.Client &&
        string.Equals(session.ClientId, message.SourceClientId, StringComparison.Ordinal);

    private static MqttQualityOfService Min(MqttQualityOfService a, MqttQualityOfService b) => a < b ? a : b;

    private static MqttQualityOfService Max(MqttQualityOfService a, MqttQualityOfService b) => a > b ? a : b;

    private readonly record struct MergedDelivery(MqttQualityOfService Qos, bool Retain, IReadOnlyList<uint>? Identifiers);

    /// <summary>Per-thread buffers: matching and fan-out run synchronously, so one set per thread suffices and a
    /// publish allocates nothing here.</summary>
    private sealed class FanOutScratch
    {
        public List<SubscriptionMatch<MqttSession>> Matches { get; } = new(16);
        public List<SharedGroup<MqttSession>> Groups { get; } = new(4);
        public Dictionary<MqttSession, MergedDelivery> Merged { get; } = new(ReferenceEqualityComparer.Instance);
    }
}

using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>
/// SUBSCRIBE (3.8): one reason code per filter, in order (MQTT-3.8.4-6), each checked against the capabilities and the
/// subscribe authorizer; then the retained messages the new subscriptions match (MQTT-3.3.1-6), after SUBACK.
/// </summary>
internal static class SubscribeHandler
{
    public static async ValueTask HandleAsync(MqttConnection connection, SubscribePacket subscribe)
    {
        var negotiated = connection.Negotiated!;
        var core = connection.Core;
        var capabilities = core.Options.Capabilities;
        if (negotiated.IsV5 && subscribe.Properties.SubscriptionIdentifiers is { Count: > 0 } && !capabilities.SubscriptionIdentifiersAvailable)
        {
            // CONNACK announced Subscription Identifiers Available = 0.
            connection.ProtocolViolation("subscription identifier although not available", MqttReasonCode.SubscriptionIdentifiersNotSupported);
            return;
        }

        var session = negotiated.Session;
        var codes = new MqttReasonCode[subscribe.Subscriptions.Count];
        uint? identifier = negotiated.IsV5 && subscribe.Properties.SubscriptionIdentifiers is { Count: > 0 } ids ? ids[0] : null;
        List<RetainedDelivery>? retained = null;
        List<MqttApplicationMessage>? matches = null;

        if (FirstMalformedFilter(subscribe) is { } malformed)
        {
            // MQTT-4.7.3-1, 4.7.1-2/-3 (3.1.1 MQTT-4.8.0-1, 5.0 4.13): a malformed topic filter makes the packet malformed.
            connection.DecodeFailure(DecodeStatus.Malformed, $"SUBSCRIBE with the malformed topic filter \"{malformed}\"");
            return;
        }

        for (var i = 0; i < codes.Length; i++)
        {
            var subscription = subscribe.Subscriptions[i];
            var refusal = await RefusalAsync(connection, negotiated, subscription.TopicFilter).ConfigureAwait(false);
            if (refusal is { } code)
            {
                codes[i] = code;
                continue;
            }

            // The packet's Subscription Identifier belongs to each of its subscriptions (MQTT-3.8.2.1.2, 3.3.4-3).
            var granted = subscription with { MaximumQos = capabilities.GrantedQos(subscription.MaximumQos), SubscriptionIdentifier = identifier };
            if (negotiated.IsBridge)
            {
                // Mosquitto's bridge flag: a 3.1.1 bridge gets the MQTT 5 options it cannot ask for, or it would get
                // its own messages back (a loop with "topic ... both") and lose their retain flag.
                granted = granted with { NoLocal = true, RetainAsPublished = true };
            }

            if (!session.TryAddSubscription(granted, out var isNew))
            {
                codes[i] = MqttReasonCode.UnspecifiedError; // the session was just taken over and discarded
                continue;
            }

            codes[i] = (MqttReasonCode)(byte)granted.MaximumQos;

            // Retained messages on subscribe (MQTT-3.3.1-6), also when the subscription is repeated (MQTT-3.8.4-3);
            // 5.0 Retain Handling 1 = only for a new subscription, 2 = never; never for a shared subscription (4.8.2).
            var sendRetained = !MqttTopic.IsSharedSubscription(granted.TopicFilter) && granted.RetainHandling switch
            {
                MqttRetainHandling.DoNotSend => false,
                MqttRetainHandling.SendAtSubscribeIfNew => isNew,
                _ => true,
            };
            if (!sendRetained)
                continue;

            matches ??= [];
            core.Retained.CollectMatches(granted.TopicFilter, matches);
            foreach (var message in matches)
            {
                if (core.DeliveryAuthorizer is { } reader && !reader.MayDeliver(negotiated.Identity, message))
                    continue; // a '#' subscriber never receives a denied sub-tree, retained included
                var qos = message.Qos < granted.MaximumQos ? message.Qos : granted.MaximumQos;
                (retained ??= []).Add(new RetainedDelivery(message, qos, identifier is { } id ? [id] : null));
            }

            matches.Clear();
        }

        await connection.Writer.EnqueueControlAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = codes }).ConfigureAwait(false);

        // Every matching retained message is delivered, at the client's pace, not limited by the live queue (MQTT-3.3.1-6);
        // retain=1 because it is sent for a new subscription (MQTT-3.3.1-8).
        if (retained is not null)
            session.EnqueueRetained(retained);
    }

    /// <summary>The first filter that is not a valid topic filter (nor, for MQTT 5, a valid shared subscription), or null.</summary>
    internal static string? FirstMalformedFilter(SubscribePacket subscribe)
    {
        foreach (var subscription in subscribe.Subscriptions)
        {
            if (!IsWellFormed(subscription.TopicFilter))
                return subscription.TopicFilter;
        }

        return null;
    }

    /// <summary>A valid filter, and a "$share/{name}/{filter}" whose share name has no wildcard (MQTT-4.8.2-1, -2).</summary>
    internal static bool IsWellFormed(string filter) =>
        MqttTopic.IsValidTopicFilter(filter) &&
        (!MqttTopic.IsSharedSubscription(filter) || MqttTopic.TryParseSharedSubscription(filter, out _, out _));

    /// <summary>Why a filter is not granted, as its SUBACK code; null when it may be subscribed.</summary>
    private static async ValueTask<MqttReasonCode?> RefusalAsync(MqttConnection connection, NegotiatedSession negotiated, string filter)
    {
        var isV5 = negotiated.IsV5;
        var capabilities = connection.Core.Options.Capabilities;

        // Announced unavailable (MQTT 5: 0x9E); 3.1.1 clients hear 0x80.
        if (!capabilities.SharedSubscriptionAvailable && MqttTopic.IsSharedSubscription(filter))
            return isV5 ? MqttReasonCode.SharedSubscriptionsNotSupported : MqttReasonCode.UnspecifiedError;

        if (!capabilities.WildcardSubscriptionAvailable && (filter.Contains('+') || filter.Contains('#')))
            return isV5 ? MqttReasonCode.WildcardSubscriptionsNotSupported : MqttReasonCode.UnspecifiedError;

        if (connection.Core.SubscribeAuthorizer is { } authorizer &&
            !await authorizer.AuthorizeSubscribeAsync(negotiated.Identity, filter, connection.ClosingToken).ConfigureAwait(false))
            return isV5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.UnspecifiedError;

        return null;
    }
}

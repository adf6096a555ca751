using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>UNSUBSCRIBE (3.10): removes each filter that matches a subscription character by character (MQTT-3.10.4-1).</summary>
internal static class UnsubscribeHandler
{
    public static ValueTask HandleAsync(MqttConnection connection, UnsubscribePacket unsubscribe)
    {
        var negotiated = connection.Negotiated!;
        if (unsubscribe.TopicFilters.FirstOrDefault(filter => !SubscribeHandler.IsWellFormed(filter)) is { } malformed)
        {
            // MQTT-4.7.3-1, 4.7.1-2/-3: a malformed topic filter makes the packet malformed.
            connection.DecodeFailure(DecodeStatus.Malformed, $"UNSUBSCRIBE with the malformed topic filter \"{malformed}\"");
            return ValueTask.CompletedTask;
        }

        var codes = negotiated.IsV5 ? new MqttReasonCode[unsubscribe.TopicFilters.Count] : [];
        for (var i = 0; i < unsubscribe.TopicFilters.Count; i++)
        {
            var filter = unsubscribe.TopicFilters[i];
            var removed = negotiated.Session.RemoveSubscription(filter);
            if (negotiated.IsV5)
            {
                codes[i] = removed ? MqttReasonCode.Success : MqttReasonCode.NoSubscriptionExisted;
            }
        }

        // MQTT-3.10.4-4 / -5: UNSUBACK even when nothing was removed.
        return connection.Writer.EnqueueControlAsync(new UnsubAckPacket { PacketId = unsubscribe.PacketId, ReasonCodes = codes });
    }
}

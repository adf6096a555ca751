using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>PUBREC (3.5) for a QoS 2 message the broker sent: answered with PUBREL (MQTT-4.3.3-1).</summary>
internal static class PubRecHandler
{
    public static ValueTask HandleAsync(MqttConnection connection, PubRecPacket rec)
    {
        var negotiated = connection.Negotiated!;
        if ((byte)rec.ReasonCode >= 0x80)
        {
            // 5.0: a PUBREC with an error reason ends the QoS 2 flow; no PUBREL.
            negotiated.Session.Abandon(rec.PacketId);
            return ValueTask.CompletedTask;
        }

        // An unknown id still gets a PUBREL, so that the client's flow ends (5.0: reason 0x92).
        var result = negotiated.Session.ReceivedPubRec(rec.PacketId);
        if (result == AcknowledgementResult.WrongPacketType)
        {
            connection.ProtocolViolation($"PUBREC for packet id {rec.PacketId}, a QoS 1 flow (3.1.1 MQTT-4.8.0-1, 5.0 4.13)");
            return ValueTask.CompletedTask;
        }

        var known = result == AcknowledgementResult.Accepted;
        var reason = known || !negotiated.IsV5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound;
        return connection.Writer.EnqueueControlAsync(new PubRelPacket { PacketId = rec.PacketId, ReasonCode = reason });
    }
}

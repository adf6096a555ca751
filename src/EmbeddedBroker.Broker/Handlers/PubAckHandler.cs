using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>PUBACK (3.4) for a QoS 1 message the broker sent: it is delivered; the in-flight window opens for the next one.</summary>
internal static class PubAckHandler
{
    public static void Handle(MqttConnection connection, PubAckPacket ack)
    {
        if (connection.Negotiated!.Session.CompletePubAck(ack.PacketId) == AcknowledgementResult.WrongPacketType)
            connection.ProtocolViolation($"PUBACK for packet id {ack.PacketId}, a QoS 2 flow (3.1.1 MQTT-4.8.0-1, 5.0 4.13)");
    }
}

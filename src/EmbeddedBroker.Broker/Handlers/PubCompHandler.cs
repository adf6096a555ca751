using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>PUBCOMP (3.7) ends a QoS 2 flow the broker started.</summary>
internal static class PubCompHandler
{
    public static void Handle(MqttConnection connection, PubCompPacket comp)
    {
        if (connection.Negotiated!.Session.CompletePubComp(comp.PacketId) == AcknowledgementResult.WrongPacketType)
            connection.ProtocolViolation($"PUBCOMP for packet id {comp.PacketId} before its PUBREC, or for a QoS 1 flow (3.1.1 MQTT-4.8.0-1, 5.0 4.13)");
    }
}

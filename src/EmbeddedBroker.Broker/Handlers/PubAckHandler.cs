using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>PUBACK (3.4) for a QoS 1 message the broker sent: it is delivered; the in-flight window opens for the next one.</summary>
internal static class PubAckHandler
{
    public static void Handle(MqttConnection connection, PubAckPacket ack) =>
        connection.Negotiated!.Session.CompletePubAck(ack.PacketId);
}

using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>PUBCOMP (3.7) ends a QoS 2 flow the broker started.</summary>
internal static class PubCompHandler
{
    public static void Handle(MqttConnection connection, PubCompPacket comp) =>
        connection.Negotiated!.Session.CompletePubComp(comp.PacketId);
}

using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>PUBREL (3.6) from a client that published at QoS 2: releases the packet id and answers PUBCOMP (MQTT-4.3.3-2).</summary>
internal static class PubRelHandler
{
    public static ValueTask HandleAsync(MqttConnection connection, PubRelPacket rel)
    {
        var negotiated = connection.Negotiated!;
        var known = negotiated.Session.ReleaseIncomingQos2(rel.PacketId);
        if (known)
            connection.Quota?.Release(); // PUBCOMP ends the flow: its Receive Maximum slot is free (4.9)
        var reason = known || !negotiated.IsV5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound; // 5.0: 0x92
        return connection.Writer.EnqueueControlAsync(new PubCompPacket { PacketId = rel.PacketId, ReasonCode = reason });
    }
}

using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>UNSUBACK: packet id only before 5.0 (3.1.1 section 3.11); 5.0 adds properties and reason codes (3.11).</summary>
internal static class UnsubAckPacketWriter
{
    public static BodySizes Measure(UnsubAckPacket p, MqttProtocolVersion version)
    {
        if (p.PacketId == 0)
        {
            throw new ArgumentException("UNSUBACK needs a non-zero packet identifier (MQTT-2.3.1-1).");
        }
        if (version != MqttProtocolVersion.V500)
        {
            return new BodySizes(2);
        }
        var propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.UnsubAck);
        return new BodySizes(2 + MqttPropertiesWriter.GetBlockSize(propertiesSize) + p.ReasonCodes.Count, propertiesSize);
    }

    public static void Write(ref MqttWriter w, UnsubAckPacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        w.WriteUInt16(p.PacketId);
        if (version != MqttProtocolVersion.V500)
        {
            return;
        }
        MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        foreach (var code in p.ReasonCodes)
        {
            w.WriteByte((byte)code);
        }
    }
}

using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>SUBACK (3.1.1 section 3.9, 5.0 section 3.9). Before 5.0 every failure is written as 0x80.</summary>
internal static class SubAckPacketWriter
{
    public static BodySizes Measure(SubAckPacket p, MqttProtocolVersion version)
    {
        if (p.PacketId == 0)
        {
            throw new ArgumentException("SUBACK needs a non-zero packet identifier (MQTT-2.3.1-1).");
        }
        if (version != MqttProtocolVersion.V500)
        {
            return new BodySizes(2 + p.ReasonCodes.Count);
        }
        var propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.SubAck);
        return new BodySizes(2 + MqttPropertiesWriter.GetBlockSize(propertiesSize) + p.ReasonCodes.Count, propertiesSize);
    }

    public static void Write(ref MqttWriter w, SubAckPacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        w.WriteUInt16(p.PacketId);
        if (version != MqttProtocolVersion.V500)
        {
            foreach (var code in p.ReasonCodes)
            {
                w.WriteByte(LegacyReturnCodes.ToSubAckReturnCode(code));
            }
            return;
        }
        MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        foreach (var code in p.ReasonCodes)
        {
            w.WriteByte((byte)code);
        }
    }
}

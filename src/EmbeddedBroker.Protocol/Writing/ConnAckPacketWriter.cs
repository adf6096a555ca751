using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>CONNACK (3.1.1 section 3.2, 5.0 section 3.2): acknowledge flags, return/reason code, 5.0 properties.</summary>
internal static class ConnAckPacketWriter
{
    public static BodySizes Measure(ConnAckPacket p, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500)
        {
            _ = LegacyReturnCodes.ToConnAckReturnCode(p.ReasonCode); // throws early for a non-CONNACK code
            return new BodySizes(2);
        }
        var propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.ConnAck);
        return new BodySizes(2 + MqttPropertiesWriter.GetBlockSize(propertiesSize), propertiesSize);
    }

    public static void Write(ref MqttWriter w, ConnAckPacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        // 3.1 has no session present flag: its first byte is an unused reserved byte.
        w.WriteByte(p.SessionPresent && version != MqttProtocolVersion.V310 ? (byte)1 : (byte)0);
        if (version != MqttProtocolVersion.V500)
        {
            w.WriteByte(LegacyReturnCodes.ToConnAckReturnCode(p.ReasonCode));
            return;
        }
        w.WriteByte((byte)p.ReasonCode);
        MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
    }
}

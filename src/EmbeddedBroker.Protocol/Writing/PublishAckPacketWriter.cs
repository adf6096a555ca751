using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// PUBACK, PUBREC, PUBREL, PUBCOMP. 3.1/3.1.1: packet id only. 5.0: the reason code may be omitted when it is Success
/// with no properties, and the property length when there are no properties (3.4.2.1).
/// </summary>
internal static class PublishAckPacketWriter
{
    public static BodySizes Measure(PublishAcknowledgementPacket p, MqttProtocolVersion version)
    {
        if (p.PacketId == 0)
        {
            throw new ArgumentException($"{p.Type} needs a non-zero packet identifier (MQTT-2.3.1-1).");
        }
        if (version != MqttProtocolVersion.V500)
        {
            return new BodySizes(2);
        }
        var propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContexts.For(p.Type));
        if (propertiesSize > 0)
        {
            return new BodySizes(3 + MqttPropertiesWriter.GetBlockSize(propertiesSize), propertiesSize);
        }
        return new BodySizes(p.ReasonCode == MqttReasonCode.Success ? 2 : 3);
    }

    public static void Write(ref MqttWriter w, PublishAcknowledgementPacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        w.WriteUInt16(p.PacketId);
        if (sizes.RemainingLength > 2)
        {
            w.WriteByte((byte)p.ReasonCode);
        }
        if (sizes.PropertiesSize > 0)
        {
            MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        }
    }
}

using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>UNSUBACK (3.1.1 section 3.11: packet id only; 5.0 section 3.11: properties and one reason code per filter).</summary>
internal static class UnsubAckPacketReader
{
    public static UnsubAckPacket Read(ref MqttReader reader, MqttProtocolVersion version)
    {
        var packetId = reader.ReadPacketId();
        if (version != MqttProtocolVersion.V500)
        {
            return new UnsubAckPacket { PacketId = packetId };
        }
        var properties = MqttPropertiesReader.Read(ref reader, MqttPropertyContext.UnsubAck);
        var codes = new List<MqttReasonCode>();
        while (!reader.End)
        {
            var code = reader.ReadByte();
            if (!MqttReasonCodeRules.IsAllowed(MqttPacketType.UnsubAck, code))
            {
                throw new MalformedPacketException($"UNSUBACK reason code 0x{code:X2} not allowed (3.11.3)");
            }
            codes.Add((MqttReasonCode)code);
        }
        return new UnsubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }
}

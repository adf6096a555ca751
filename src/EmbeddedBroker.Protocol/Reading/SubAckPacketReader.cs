using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>SUBACK (3.1.1 section 3.9, 5.0 section 3.9): one return/reason code per requested filter.</summary>
internal static class SubAckPacketReader
{
    public static SubAckPacket Read(ref MqttReader reader, MqttProtocolVersion version)
    {
        var packetId = reader.ReadPacketId();
        var isV5 = version == MqttProtocolVersion.V500;
        var properties = isV5 ? MqttPropertiesReader.Read(ref reader, MqttPropertyContext.SubAck) : MqttProperties.Empty;
        var codes = new List<MqttReasonCode>();
        while (!reader.End)
        {
            var code = reader.ReadByte();
            var valid = isV5 ? MqttReasonCodeRules.IsAllowed(MqttPacketType.SubAck, code) : LegacyReturnCodes.IsValidSubAckReturnCode(code);
            if (!valid)
            {
                throw new MalformedPacketException($"SUBACK return code 0x{code:X2} is reserved (MQTT-3.9.3-2)");
            }
            codes.Add((MqttReasonCode)code);
        }
        if (codes.Count == 0)
        {
            throw new MalformedPacketException("SUBACK without return codes (3.9.3)");
        }
        return new SubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }
}

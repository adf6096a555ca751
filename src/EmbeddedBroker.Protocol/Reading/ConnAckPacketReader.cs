using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>CONNACK (3.1.1 section 3.2, 5.0 section 3.2). The model holds 5.0 reason codes for every version.</summary>
internal static class ConnAckPacketReader
{
    public static ConnAckPacket Read(ref MqttReader reader, MqttProtocolVersion version)
    {
        var acknowledgeFlags = reader.ReadByte();
        var code = reader.ReadByte();
        if (version == MqttProtocolVersion.V310)
        {
            // 3.1: the first byte is an unused "topic name compression" byte and there is no session present flag.
            return new ConnAckPacket { ReasonCode = LegacyReturnCodes.FromConnAckReturnCode(code) ?? throw ReservedReturnCode(code) };
        }
        if ((acknowledgeFlags & 0xFE) != 0)
        {
            throw new MalformedPacketException("CONNACK reserved acknowledge flags set (3.2.2.1)");
        }
        var sessionPresent = (acknowledgeFlags & 0x01) != 0;
        if (version == MqttProtocolVersion.V311)
        {
            return new ConnAckPacket
            {
                SessionPresent = sessionPresent,
                ReasonCode = LegacyReturnCodes.FromConnAckReturnCode(code) ?? throw ReservedReturnCode(code),
            };
        }
        if (!MqttReasonCodeRules.IsAllowed(MqttPacketType.ConnAck, code))
        {
            throw new MalformedPacketException($"CONNACK reason code 0x{code:X2} not allowed (3.2.2.2)");
        }
        return new ConnAckPacket
        {
            SessionPresent = sessionPresent,
            ReasonCode = (MqttReasonCode)code,
            Properties = MqttPropertiesReader.Read(ref reader, MqttPropertyContext.ConnAck),
        };
    }

    private static MalformedPacketException ReservedReturnCode(byte code) => new($"CONNACK reserved return code {code} (3.2.2.3)");
}

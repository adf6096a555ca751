using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// PUBACK, PUBREC, PUBREL, PUBCOMP (3.1.1 sections 3.4-3.7, 5.0 sections 3.4-3.7): packet id, then in 5.0 an optional
/// reason code (absent = Success) and optional properties (absent when the remaining length is under 4).
/// </summary>
internal static class PublishAckPacketReader
{
    public static PublishAcknowledgementPacket Read(ref MqttReader reader, MqttPacketType type, MqttProtocolVersion version)
    {
        var packetId = reader.ReadPacketId();
        var reasonCode = MqttReasonCode.Success;
        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !reader.End)
        {
            var code = reader.ReadByte();
            if (!MqttReasonCodeRules.IsAllowed(type, code))
            {
                throw new MalformedPacketException($"{type} reason code 0x{code:X2} not allowed");
            }
            reasonCode = (MqttReasonCode)code;
            if (!reader.End)
            {
                properties = MqttPropertiesReader.Read(ref reader, MqttPropertyContexts.For(type));
            }
        }
        return type switch
        {
            MqttPacketType.PubAck => new PubAckPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
            MqttPacketType.PubRec => new PubRecPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
            MqttPacketType.PubRel => new PubRelPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
            _ => new PubCompPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
        };
    }
}

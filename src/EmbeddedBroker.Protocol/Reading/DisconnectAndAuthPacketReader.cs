using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;
using EmbeddedBroker.Protocol.ReasonCodes;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// DISCONNECT (5.0 section 3.14) and AUTH (5.0 section 3.15) share their shape: an optional reason code
/// (absent = Success) then optional properties. In 3.1/3.1.1 DISCONNECT is empty.
/// </summary>
internal static class DisconnectAndAuthPacketReader
{
    public static DisconnectPacket ReadDisconnect(ref MqttReader reader, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500 || reader.End)
        {
            return new DisconnectPacket();
        }
        var (reasonCode, properties) = ReadReasonAndProperties(ref reader, MqttPacketType.Disconnect, MqttPropertyContext.Disconnect);
        return new DisconnectPacket { ReasonCode = reasonCode, Properties = properties };
    }

    public static AuthPacket ReadAuth(ref MqttReader reader)
    {
        if (reader.End)
        {
            return new AuthPacket();
        }
        var (reasonCode, properties) = ReadReasonAndProperties(ref reader, MqttPacketType.Auth, MqttPropertyContext.Auth);
        return new AuthPacket { ReasonCode = reasonCode, Properties = properties };
    }

    private static (MqttReasonCode, MqttProperties) ReadReasonAndProperties(ref MqttReader reader, MqttPacketType type, MqttPropertyContext context)
    {
        var code = reader.ReadByte();
        if (!MqttReasonCodeRules.IsAllowed(type, code))
        {
            throw new MalformedPacketException($"{type} reason code 0x{code:X2} not allowed");
        }
        var properties = reader.End ? MqttProperties.Empty : MqttPropertiesReader.Read(ref reader, context);
        return ((MqttReasonCode)code, properties);
    }
}

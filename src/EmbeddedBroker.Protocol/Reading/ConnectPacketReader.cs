using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>CONNECT (3.1.1 section 3.1, 5.0 section 3.1). The packet names its own protocol version.</summary>
internal static class ConnectPacketReader
{
    public const string ProtocolName = "MQTT";
    public const string ProtocolName31 = "MQIsdp";

    public static ConnectPacket Read(ref MqttReader reader)
    {
        var protocolName = reader.ReadString();
        var protocolLevel = reader.ReadByte();
        var level = ConnectPacket.WithoutBridgeFlag(protocolLevel);
        if (!IsSupported(protocolName, level))
        {
            // The broker answers CONNACK 0x01 / 0x84 from the level alone (MQTT-3.1.2-2), so the rest is not parsed.
            reader.SkipRest();
            return new ConnectPacket { ProtocolName = protocolName, ProtocolLevel = protocolLevel };
        }
        var version = (MqttProtocolVersion)level;

        var flags = reader.ReadByte();
        if ((flags & 0x01) != 0 && version != MqttProtocolVersion.V310)
        {
            // 3.1 does not reserve bit 0 (3.1 section 3.1); 3.1.1 and 5.0 do.
            throw new MalformedPacketException("CONNECT reserved flag set (MQTT-3.1.2-3)");
        }
        var cleanSession = (flags & 0x02) != 0;
        var hasWill = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        var hasPassword = (flags & 0x40) != 0;
        var hasUsername = (flags & 0x80) != 0;

        if (willQos == 3)
        {
            throw new MalformedPacketException("CONNECT will QoS 3 (MQTT-3.1.2-14)");
        }
        if (!hasWill && (willQos != 0 || willRetain))
        {
            throw new MalformedPacketException("CONNECT will QoS or retain set without will flag (MQTT-3.1.2-13, MQTT-3.1.2-15)");
        }
        // 5.0 allows a password without a user name (3.1.2.9); earlier versions do not.
        if (hasPassword && !hasUsername && version != MqttProtocolVersion.V500)
        {
            throw new MalformedPacketException("CONNECT password flag without user name flag (MQTT-3.1.2-22)");
        }

        var keepAlive = reader.ReadUInt16();
        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500)
        {
            properties = MqttPropertiesReader.Read(ref reader, MqttPropertyContext.Connect);
            // "It is a Protocol Error to include Authentication Data if there is no Authentication Method" (3.1.2.11.10).
            if (properties.AuthenticationData is not null && properties.AuthenticationMethod is null)
            {
                throw new ProtocolErrorException("CONNECT authentication data without authentication method (3.1.2.11.10: a Protocol Error)");
            }
        }

        // Payload order: client id, will properties, will topic, will payload, user name, password (3.1.3).
        var clientId = reader.ReadString();
        MqttWill? will = null;
        if (hasWill)
        {
            var willProperties = version == MqttProtocolVersion.V500
                ? MqttPropertiesReader.Read(ref reader, MqttPropertyContext.Will)
                : MqttProperties.Empty;
            var willTopic = reader.ReadString();
            var willPayload = reader.ReadBinary();
            will = new MqttWill
            {
                Topic = willTopic,
                Payload = willPayload,
                Qos = (MqttQualityOfService)willQos,
                Retain = willRetain,
                Properties = willProperties,
            };
        }
        var username = hasUsername ? reader.ReadString() : null;
        // Not a conditional expression: "null" would convert to an empty ReadOnlyMemory through the byte[] conversion.
        ReadOnlyMemory<byte>? password = null;
        if (hasPassword)
        {
            password = reader.ReadBinary();
        }

        return new ConnectPacket
        {
            ProtocolName = protocolName,
            ProtocolLevel = protocolLevel,
            ClientId = clientId,
            CleanSession = cleanSession,
            KeepAliveSeconds = keepAlive,
            Username = username,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    /// <summary>"MQIsdp" level 3 (3.1), "MQTT" level 4 (3.1.1) or 5 (5.0).</summary>
    public static bool IsSupported(string protocolName, byte protocolLevel) => protocolLevel switch
    {
        (byte)MqttProtocolVersion.V310 => protocolName == ProtocolName31,
        (byte)MqttProtocolVersion.V311 or (byte)MqttProtocolVersion.V500 => protocolName == ProtocolName,
        _ => false,
    };
}

using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// CONNECT (3.1.1 section 3.1, 5.0 section 3.1). The protocol name and level come from the version being encoded
/// ("MQIsdp"/3, "MQTT"/4, "MQTT"/5), not from the packet's <see cref="ConnectPacket.ProtocolLevel"/>, except its bit 7:
/// Mosquitto's bridge flag (try_private, 0x83/0x84), which a bridge sets there.
/// </summary>
internal static class ConnectPacketWriter
{
    public static BodySizes Measure(ConnectPacket p, MqttProtocolVersion version)
    {
        var isV5 = version == MqttProtocolVersion.V500;
        if (p.Password is not null && p.Username is null && !isV5)
        {
            throw new ArgumentException("A password needs a user name before MQTT 5.0 (MQTT-3.1.2-22).");
        }
        if (p.Will is { Qos: > MqttQualityOfService.ExactlyOnce })
        {
            throw new ArgumentException("Will QoS 3 does not exist (MQTT-3.1.2-14).");
        }
        // Protocol name, level, flags, keep alive (3.1.2).
        var size = 2 + ProtocolName(version).Length + 1 + 1 + 2;
        var propertiesSize = 0;
        var willPropertiesSize = 0;
        if (isV5)
        {
            propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.Connect);
            size += MqttPropertiesWriter.GetBlockSize(propertiesSize);
        }
        size += MqttStrings.GetSize(p.ClientId, "Client identifier");
        if (p.Will is { } will)
        {
            if (isV5)
            {
                willPropertiesSize = MqttPropertiesWriter.GetContentSize(will.Properties, MqttPropertyContext.Will);
                size += MqttPropertiesWriter.GetBlockSize(willPropertiesSize);
            }
            size += MqttStrings.GetSize(will.Topic, "Will topic") + MqttStrings.GetBinarySize(will.Payload.Length, "Will payload");
        }
        if (p.Username is not null)
        {
            size += MqttStrings.GetSize(p.Username, "User name");
        }
        if (p.Password is { } password)
        {
            size += MqttStrings.GetBinarySize(password.Length, "Password");
        }
        return new BodySizes(size, propertiesSize, willPropertiesSize);
    }

    public static void Write(ref MqttWriter w, ConnectPacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        w.WriteString(ProtocolName(version));
        w.WriteByte((byte)((byte)version | (p.ProtocolLevel & ConnectPacket.BridgeFlag)));
        w.WriteByte(Flags(p));
        w.WriteUInt16(p.KeepAliveSeconds);
        var isV5 = version == MqttProtocolVersion.V500;
        if (isV5)
        {
            MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        }
        w.WriteString(p.ClientId);
        if (p.Will is { } will)
        {
            if (isV5)
            {
                MqttPropertiesWriter.Write(ref w, will.Properties, sizes.WillPropertiesSize);
            }
            w.WriteString(will.Topic);
            w.WriteBinary(will.Payload.Span);
        }
        if (p.Username is not null)
        {
            w.WriteString(p.Username);
        }
        if (p.Password is { } password)
        {
            w.WriteBinary(password.Span);
        }
    }

    private static string ProtocolName(MqttProtocolVersion version) => version switch
    {
        MqttProtocolVersion.V310 => "MQIsdp",
        MqttProtocolVersion.V311 or MqttProtocolVersion.V500 => "MQTT",
        _ => throw new ArgumentException($"Unknown protocol version {version}.", nameof(version)),
    };

    /// <summary>User name, password, will retain, will QoS (2 bits), will, clean session, reserved = 0 (3.1.2.3).</summary>
    private static byte Flags(ConnectPacket p)
    {
        var flags = 0;
        if (p.Username is not null) flags |= 0x80;
        if (p.Password is not null) flags |= 0x40;
        if (p.Will is { } will)
        {
            flags |= 0x04 | ((int)will.Qos << 3);
            if (will.Retain) flags |= 0x20;
        }
        if (p.CleanSession) flags |= 0x02;
        return (byte)flags;
    }
}

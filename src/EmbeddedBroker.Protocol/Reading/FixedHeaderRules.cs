namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// The first byte of the fixed header (3.1.1 section 2.2, 5.0 section 2.1): packet type and flags.
/// Flags are 0 except PUBREL, SUBSCRIBE and UNSUBSCRIBE (0b0010: MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1)
/// and PUBLISH (DUP, QoS, RETAIN). Invalid flags are malformed (MQTT-2.2.2-2).
/// </summary>
internal static class FixedHeaderRules
{
    /// <summary>Null when the first byte is acceptable for <paramref name="version"/>, else the reason.</summary>
    public static string? Check(byte firstByte, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(firstByte >> 4);
        var flags = firstByte & 0x0F;
        switch (type)
        {
            case 0:
                return "reserved packet type 0";
            case MqttPacketType.Auth when version != MqttProtocolVersion.V500:
                return "AUTH packet before MQTT 5.0 (type 15 is reserved)";
            case MqttPacketType.Publish:
                return CheckPublishFlags(flags, version);
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                // 3.1 sent these at QoS 1 and set DUP on a re-delivered one (3.1 section 3.6/3.8/3.10); 3.1.1 fixed 0x2.
                return flags == 0b0010 || (version == MqttProtocolVersion.V310 && flags == 0b1010)
                    ? null
                    : $"{type} flags 0x{flags:X} instead of 0x2 (MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1)";
            default:
                return flags == 0 ? null : $"{type} flags 0x{flags:X} instead of 0 (MQTT-2.2.2-2)";
        }
    }

    private static string? CheckPublishFlags(int flags, MqttProtocolVersion version)
    {
        var qos = (flags >> 1) & 0x03;
        if (qos == 3)
        {
            return "PUBLISH QoS 3 (MQTT-3.3.1-4)";
        }
        // 3.1 did not forbid DUP on QoS 0, so only 3.1.1 and 5.0 reject it.
        if (qos == 0 && (flags & 0x08) != 0 && version != MqttProtocolVersion.V310)
        {
            return "PUBLISH QoS 0 with DUP set (MQTT-3.3.1-2)";
        }
        return null;
    }
}

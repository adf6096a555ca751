using System.Text;
using EmbeddedBroker.Protocol;
using static EmbeddedBroker.Fuzzing.FuzzCase;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// First packets of a connection: valid CONNECTs of every version and shape, CONNECTs that break one statement of 3.1
/// (flags, names, levels, client identifier, MQTT 5 properties), and non-CONNECT first packets (MQTT-3.1.0-1).
/// </summary>
internal static class ConnectCases
{
    private static readonly Func<SessionModel, FuzzCase?>[] Cases =
    [
        UnsupportedLevel, WrongProtocolName, ReservedFlag, WillFlagRules, PasswordWithoutUserName, FlagWithoutField,
        EmptyClientIdWithPersistentSession, IllFormedClientId, FirstPacketNotConnect, ConnectPropertyFault,
        UnknownAuthenticationMethod, WillTopicWithWildcard,
    ];

    /// <summary>A valid CONNECT (what a valid session starts with).</summary>
    public static FuzzCase Valid(SessionModel s, bool withWill) =>
        FuzzCase.Valid("valid CONNECT", PacketBytes.Encode(ValidPackets.Connect(s, withWill), s.Version));

    /// <summary>A CONNECT the spec refuses, or another first packet.</summary>
    public static FuzzCase Invalid(SessionModel s)
    {
        while (true)
        {
            if (s.Pick(Cases)(s) is { } fuzzCase)
                return fuzzCase;
        }
    }

    /// <summary>A CONNECT written field by field, so that any one field or flag can be wrong.</summary>
    private static byte[] Connect(SessionModel s, string? name = null, byte? level = null, byte? flags = null, byte[]? clientId = null,
        Action<PacketBytes>? properties = null, string willTopic = "fuzz/will", Action<PacketBytes>? willProperties = null)
    {
        var version = level ?? (byte)s.Version;
        var actualFlags = flags ?? 0x02;
        var body = new PacketBytes().String(name ?? (s.Version == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT")).Byte(version).Byte(actualFlags).UInt16(60);
        var v5 = version == (byte)MqttProtocolVersion.V500;
        if (v5)
            body.Properties(properties ?? (_ => { }));
        body.LengthPrefixed(clientId ?? Encoding.UTF8.GetBytes(s.ClientId));
        if ((actualFlags & 0x04) != 0)
        {
            if (v5)
                body.Properties(willProperties ?? (_ => { }));
            body.String(willTopic).LengthPrefixed(s.RandomBytes(0, 16));
        }

        if ((actualFlags & 0x80) != 0)
            body.String("user");
        if ((actualFlags & 0x40) != 0)
            body.LengthPrefixed(s.RandomBytes(0, 8));
        return body.Packet(0x10);
    }

    private static FuzzCase UnsupportedLevel(SessionModel s)
    {
        (string Name, byte Level, MqttReasonCode Code)[] pairs =
        [
            ("MQTT", 0, MqttReasonCode.UnsupportedProtocolVersion), ("MQTT", 2, MqttReasonCode.UnsupportedProtocolVersion),
            ("MQTT", 3, MqttReasonCode.UnsupportedProtocolVersion), ("MQTT", 6, MqttReasonCode.UnsupportedProtocolVersion),
            ("MQTT", 255, MqttReasonCode.UnsupportedProtocolVersion), ("MQIsdp", 4, MqttReasonCode.UnsupportedProtocolVersion),
            ("MQIsdp", 5, MqttReasonCode.UnsupportedProtocolVersion),
        ];
        var (name, level, code) = s.Pick(pairs);
        return new FuzzCase($"CONNECT \"{name}\" level {level}", Connect(s, name, level), Verdict.Refused, "MQTT-3.1.2-2: CONNACK 0x01 (5.0: 0x84), then close")
        {
            RequiresConnAck = true,
            ConnAckCodes = [code],
        };
    }

    private static FuzzCase WrongProtocolName(SessionModel s)
    {
        var name = s.Pick(["MQTX", "mqtt", "MQ", "HTTP", "MQTT\u00e9", "MQIsdP"]);
        return new FuzzCase($"CONNECT with protocol name \"{name}\"", Connect(s, name), Verdict.Refused, "MQTT-3.1.2-1");
    }

    private static FuzzCase? ReservedFlag(SessionModel s) => s.Version == MqttProtocolVersion.V310 ? null
        : new FuzzCase("CONNECT reserved flag set", Connect(s, flags: (byte)(0x03 | (s.Random.Next(2) << 1))), Verdict.Refused, "MQTT-3.1.2-3");

    private static FuzzCase WillFlagRules(SessionModel s) => s.Random.Next(3) switch
    {
        0 => new FuzzCase("CONNECT will QoS 3", Connect(s, flags: 0x1E), Verdict.Refused, "MQTT-3.1.2-14"),
        1 => new FuzzCase("CONNECT will QoS without the will flag", Connect(s, flags: (byte)(0x02 | (s.Random.Next(1, 3) << 3))), Verdict.Refused, "MQTT-3.1.2-13"),
        _ => new FuzzCase("CONNECT will retain without the will flag", Connect(s, flags: 0x22), Verdict.Refused, "MQTT-3.1.2-15"),
    };

    private static FuzzCase? PasswordWithoutUserName(SessionModel s) => s.IsV5 ? null
        : new FuzzCase("CONNECT password without a user name", Connect(s, flags: 0x42), Verdict.Refused, "MQTT-3.1.2-22");

    private static FuzzCase FlagWithoutField(SessionModel s)
    {
        // The flag announces a field, then the packet ends: the field is missing.
        var flag = s.Pick<byte>([0x80, 0xC0, 0x04]);
        var bytes = Connect(s, flags: 0x02);
        PacketBytes.TryReadHeader(bytes, out var header, out _);
        var nameLength = (bytes[header] << 8) | bytes[header + 1];
        bytes[header + 2 + nameLength + 1] |= flag; // after the protocol name and level: the connect flags
        return new FuzzCase($"CONNECT flag 0x{flag:X2} without its field", bytes, Verdict.Refused, "MQTT-3.1.2-9, MQTT-3.1.2-19, MQTT-3.1.2-21");
    }

    private static FuzzCase? EmptyClientIdWithPersistentSession(SessionModel s) => s.Version != MqttProtocolVersion.V311 ? null
        : new FuzzCase("CONNECT empty client id with CleanSession 0", Connect(s, flags: 0x00, clientId: []), Verdict.Refused, "MQTT-3.1.3-8: CONNACK 0x02, then close")
        {
            RequiresConnAck = true,
            ConnAckCodes = [MqttReasonCode.ClientIdentifierNotValid],
        };

    private static FuzzCase IllFormedClientId(SessionModel s) =>
        new("CONNECT client id of ill-formed UTF-8", Connect(s, clientId: Utf8Faults.IllFormedText(s, s.ClientId)), Verdict.Refused, "MQTT-1.5.3-1 (5.0 MQTT-1.5.4-1)");

    private static FuzzCase FirstPacketNotConnect(SessionModel s)
    {
        byte[] bytes = s.Random.Next(4) switch
        {
            0 => PacketBytes.Encode(ValidPackets.Publish(s), s.Version),
            1 => PacketBytes.Encode(ValidPackets.Subscribe(s), s.Version),
            2 => [0xC0, 0x00],
            _ => "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(),
        };
        return new FuzzCase("first packet is not CONNECT", bytes, Verdict.Refused, "MQTT-3.1.0-1");
    }

    private static FuzzCase? ConnectPropertyFault(SessionModel s)
    {
        if (!s.IsV5)
            return null;
        return s.Random.Next(7) switch
        {
            0 => new FuzzCase("CONNECT Receive Maximum 0", Connect(s, properties: b => b.Byte(0x21).UInt16(0)), Verdict.Refused, "5.0 3.1.2.11.3"),
            1 => new FuzzCase("CONNECT Maximum Packet Size 0", Connect(s, properties: b => b.Byte(0x27).UInt32(0)), Verdict.Refused, "5.0 3.1.2.11.4"),
            2 => new FuzzCase("CONNECT Session Expiry Interval twice", Connect(s, properties: b => b.Byte(0x11).UInt32(1).Byte(0x11).UInt32(2)), Verdict.Refused, "5.0 3.1.2.11.2"),
            3 => new FuzzCase("CONNECT Authentication Data without a method", Connect(s, properties: b => b.Byte(0x16).LengthPrefixed(s.RandomBytes(0, 8))), Verdict.Refused, "5.0 3.1.2.11.10"),
            4 => new FuzzCase("CONNECT Request Problem Information above 1", Connect(s, properties: b => b.Byte(0x17).Byte((byte)s.Random.Next(2, 256))), Verdict.Refused, "5.0 3.1.2.11.7"),
            5 => new FuzzCase("CONNECT with a Topic Alias property", Connect(s, properties: b => b.Byte(0x23).UInt16(1)), Verdict.Refused, "5.0 2.2.2.2"),
            _ => new FuzzCase("CONNECT will properties with a Session Expiry Interval", Connect(s, flags: 0x06, willProperties: b => b.Byte(0x11).UInt32(5)), Verdict.Refused, "5.0 3.1.3.2"),
        };
    }

    private static FuzzCase? UnknownAuthenticationMethod(SessionModel s) => !s.IsV5 ? null
        : new FuzzCase("CONNECT with an unknown authentication method", Connect(s, properties: b => b.Byte(0x15).String("FUZZ-" + s.Level())), Verdict.Refused, "5.0 4.12: CONNACK 0x8C")
        {
            RequiresConnAck = true,
            ConnAckCodes = [MqttReasonCode.BadAuthenticationMethod],
        };

    private static FuzzCase WillTopicWithWildcard(SessionModel s) =>
        new("CONNECT will topic with a wildcard", Connect(s, flags: 0x06, willTopic: s.TopicRoot + "/" + s.Pick(["+", "#", "a/+"])), Verdict.Refused, "MQTT-3.1.2-9, MQTT-3.3.2-2");
}

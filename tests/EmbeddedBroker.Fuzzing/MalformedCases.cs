using System.Text;
using EmbeddedBroker.Protocol;
using static EmbeddedBroker.Fuzzing.FuzzCase;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// Packets after CONNACK that break one spec statement each, with random content around the fault: fixed header,
/// lengths, strings, packet identifiers, topic rules, packet order. MQTT 5 properties are in <see cref="PropertyCases"/>.
/// </summary>
internal static class MalformedCases
{
    private static readonly Func<SessionModel, FuzzCase?>[] Cases =
    [
        LengthOverFourBytes, FixedHeaderFlags, PublishQos3, PublishQos0WithDup, ReservedType, OverMaximumPacketSize,
        LengthCutsTheTopic, IllFormedUtf8, NulCharacter, StringPastTheEnd, TrailingBytes, PacketIdZero, WildcardInTopicName,
        EmptyTopicName, InvalidTopicFilter, SecondConnect, ServerOnlyPacket, SubscribeWithoutFilters,
        UnsubscribeWithoutFilters, SubscribeQos3, SubscribeReservedBits, SubscribeFilterWithoutOptions,
    ];

    public static FuzzCase Next(SessionModel s)
    {
        while (true)
        {
            if (s.Pick(Cases)(s) is { } fuzzCase)
                return fuzzCase;
        }
    }

    /// <summary>A PUBLISH written by hand: <paramref name="topic"/> as raw string bytes, then id, properties, payload.</summary>
    internal static byte[] Publish(SessionModel s, byte firstByte, byte[] topic, ushort? packetId = null, Action<PacketBytes>? properties = null)
    {
        var body = new PacketBytes().LengthPrefixed(topic);
        var qos = (firstByte >> 1) & 0x03;
        if (qos > 0)
            body.UInt16(packetId ?? s.PacketId());
        if (s.IsV5)
            body.Properties(properties ?? (_ => { }));
        return body.Raw(s.RandomBytes(0, 32)).Packet(firstByte);
    }

    internal static byte[] Publish(SessionModel s, byte firstByte, string topic, Action<PacketBytes>? properties = null) =>
        Publish(s, firstByte, Encoding.UTF8.GetBytes(topic), properties: properties);

    /// <summary>A SUBSCRIBE written by hand with one filter given as raw bytes and its options byte.</summary>
    internal static byte[] Subscribe(SessionModel s, byte[] filter, byte options, Action<PacketBytes>? properties = null, ushort? packetId = null)
    {
        var body = new PacketBytes().UInt16(packetId ?? s.PacketId());
        if (s.IsV5)
            body.Properties(properties ?? (_ => { }));
        return body.LengthPrefixed(filter).Byte(options).Packet(0x82);
    }

    internal static byte[] Unsubscribe(SessionModel s, byte[] filter, ushort? packetId = null)
    {
        var body = new PacketBytes().UInt16(packetId ?? s.PacketId());
        if (s.IsV5)
            body.Properties(_ => { });
        return body.LengthPrefixed(filter).Packet(0xA2);
    }

    private static byte QosByte(SessionModel s) => (byte)s.Random.Next(3);

    /// <summary>The first byte of a PUBLISH at a random QoS (no DUP, no RETAIN).</summary>
    internal static byte PublishHeader(SessionModel s) => (byte)(0x30 | (s.Random.Next(3) << 1));

    private static FuzzCase LengthOverFourBytes(SessionModel s)
    {
        byte[] types = [0x30, 0x32, 0x82, 0xA2, 0x40, 0x62, 0xC0, 0xE0];
        var continuation = s.RandomBytes(4, 4).Select(b => (byte)(b | 0x80));
        return Malformed("remaining length of 5 bytes", [s.Pick(types), .. continuation, (byte)s.Random.Next(0x80)],
            "MQTT-2.2.3 / 5.0 1.5.5: at most four bytes");
    }

    private static FuzzCase FixedHeaderFlags(SessionModel s)
    {
        // Types whose flags are fixed (MQTT-2.2.2-2): 0 for these, 0b0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE.
        var id = s.StrayPacketId();
        byte[][] bodies = [[(byte)(id >> 8), (byte)id], [(byte)(id >> 8), (byte)id], [(byte)(id >> 8), (byte)id], []];
        byte[] zeroTypes = [0x40, 0x50, 0x70, 0xC0];
        var pick = s.Random.Next(zeroTypes.Length + 3);
        if (pick < zeroTypes.Length)
        {
            var flags = (byte)s.Random.Next(1, 16);
            return Malformed($"packet type {zeroTypes[pick] >> 4} with flags 0x{flags:X}", PacketBytes.Frame((byte)(zeroTypes[pick] | flags), bodies[pick]), "MQTT-2.2.2-2");
        }

        int[] allowed = s.Version == MqttProtocolVersion.V310 ? [0x2, 0xA] : [0x2];
        int wrong;
        do
        {
            wrong = s.Random.Next(16);
        }
        while (allowed.Contains(wrong));
        byte[] packet = s.Random.Next(3) switch
        {
            0 => PacketBytes.Frame(0x62, [(byte)(id >> 8), (byte)id]),
            1 => Subscribe(s, Encoding.UTF8.GetBytes(s.Topic()), QosByte(s)),
            _ => Unsubscribe(s, Encoding.UTF8.GetBytes(s.Topic())),
        };
        packet[0] = (byte)((packet[0] & 0xF0) | wrong);
        return Malformed($"packet type {packet[0] >> 4} with flags 0x{wrong:X}", packet, "MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1");
    }

    private static FuzzCase PublishQos3(SessionModel s) =>
        Malformed("PUBLISH QoS 3", Publish(s, (byte)(0x36 | s.Random.Next(2) | (s.Random.Next(2) << 3)), s.Topic()), "MQTT-3.3.1-4");

    private static FuzzCase? PublishQos0WithDup(SessionModel s) => s.Version == MqttProtocolVersion.V310 ? null
        : Malformed("PUBLISH QoS 0 with DUP", Publish(s, (byte)(0x38 | s.Random.Next(2)), s.Topic()), "MQTT-3.3.1-2");

    private static FuzzCase ReservedType(SessionModel s) => s.IsV5 || s.Chance(0.5)
        ? Malformed("reserved packet type 0", [0x00, 0x00], "3.1.1 2.2.1, 5.0 2.1.2: type 0 is reserved")
        : Malformed("packet type 15 before MQTT 5", [0xF0, 0x00], "3.1.1 2.2.1: type 15 is reserved");

    private static FuzzCase OverMaximumPacketSize(SessionModel s)
    {
        var declared = s.Random.Next(s.Limits.MaximumPacketSize, 268_435_455 + 1);
        return Refused("remaining length over the Maximum Packet Size", [0x30, .. PacketBytes.Varint(declared), 0x00, 0x01, (byte)'t'],
            "MQTT-3.2.2-15 (5.0: DISCONNECT 0x95 Packet too large)", MqttReasonCode.PacketTooLarge);
    }

    private static FuzzCase LengthCutsTheTopic(SessionModel s)
    {
        var publish = Publish(s, 0x30, s.Topic());
        PacketBytes.TryReadHeader(publish, out var headerLength, out _);
        var topicLength = (publish[headerLength] << 8) | publish[headerLength + 1];
        var cut = s.Random.Next(0, 2 + topicLength);
        return Malformed($"remaining length {cut} cuts the topic", [0x30, .. PacketBytes.Varint(cut), .. publish.AsSpan(headerLength, cut)],
            "2.2.3 and 1.5.3: a field running past the remaining length");
    }

    private static FuzzCase IllFormedUtf8(SessionModel s)
    {
        var text = Utf8Faults.IllFormedText(s, s.Topic());
        const string Spec = "MQTT-1.5.3-1 (5.0 MQTT-1.5.4-1)";
        return s.Random.Next(3) switch
        {
            0 => Malformed("ill-formed UTF-8 in the PUBLISH topic", Publish(s, PublishHeader(s), text), Spec),
            1 => Malformed("ill-formed UTF-8 in a SUBSCRIBE filter", Subscribe(s, text, QosByte(s)), Spec),
            _ => Malformed("ill-formed UTF-8 in an UNSUBSCRIBE filter", Unsubscribe(s, text), Spec),
        };
    }

    private static FuzzCase NulCharacter(SessionModel s)
    {
        var text = Utf8Faults.WithNul(s, s.Topic());
        const string Spec = "MQTT-1.5.3-2 (5.0 MQTT-1.5.4-2)";
        return s.Random.Next(2) == 0
            ? Malformed("U+0000 in the PUBLISH topic", Publish(s, PublishHeader(s), text), Spec)
            : Malformed("U+0000 in a SUBSCRIBE filter", Subscribe(s, text, QosByte(s)), Spec);
    }

    private static FuzzCase StringPastTheEnd(SessionModel s)
    {
        var topic = Encoding.UTF8.GetBytes(s.Topic());
        var claimed = topic.Length + s.Random.Next(1, 1000);
        return Malformed("topic length prefix past the end of the packet", PacketBytes.Frame(0x30, [(byte)(claimed >> 8), (byte)claimed, .. topic]),
            "1.5.3: the string is as long as its prefix says");
    }

    private static FuzzCase TrailingBytes(SessionModel s)
    {
        var extra = s.RandomBytes(1, 3);
        var id = s.StrayPacketId();
        return s.Random.Next(2) == 0 || s.IsV5
            ? Malformed("PINGREQ with a body", PacketBytes.Frame(0xC0, extra), "3.12.1: PINGREQ has no variable header and no payload")
            : Malformed("3.1.1 PUBACK longer than its packet id", PacketBytes.Frame(0x40, [(byte)(id >> 8), (byte)id, .. extra]), "3.4.2: remaining length 2");
    }

    private static FuzzCase PacketIdZero(SessionModel s)
    {
        const string Spec = "MQTT-2.3.1-1 (5.0 MQTT-2.2.1-3): a non-zero packet identifier";
        return s.Random.Next(5) switch
        {
            0 => Refused("PUBLISH QoS > 0 with packet id 0", Publish(s, (byte)(0x30 | (s.Random.Next(1, 3) << 1)), Encoding.UTF8.GetBytes(s.Topic()), packetId: 0), Spec),
            1 => Refused("SUBSCRIBE with packet id 0", Subscribe(s, Encoding.UTF8.GetBytes(s.Topic()), QosByte(s), packetId: 0), Spec),
            2 => Refused("UNSUBSCRIBE with packet id 0", Unsubscribe(s, Encoding.UTF8.GetBytes(s.Topic()), packetId: 0), Spec),
            3 => Refused("PUBACK with packet id 0", [0x40, 0x02, 0x00, 0x00], Spec),
            _ => Refused("PUBREL with packet id 0", [0x62, 0x02, 0x00, 0x00], Spec),
        };
    }

    private static FuzzCase WildcardInTopicName(SessionModel s)
    {
        var levels = s.Topic().Split('/').ToList();
        levels[s.Random.Next(levels.Count)] = s.Pick(["+", "#", "a+", "#b", "+/#"]);
        return Refused("wildcard in a PUBLISH topic name", Publish(s, PublishHeader(s), string.Join('/', levels)), "MQTT-3.3.2-2");
    }

    private static FuzzCase EmptyTopicName(SessionModel s) => s.IsV5
        ? ProtocolError("empty PUBLISH topic without a topic alias", Publish(s, PublishHeader(s), ""),
            "3.3.2.1: It is a Protocol Error if the Topic Name is zero length and there is no Topic Alias")
        : Malformed("empty PUBLISH topic", Publish(s, PublishHeader(s), ""), "MQTT-4.7.3-1");

    private static FuzzCase InvalidTopicFilter(SessionModel s)
    {
        var filter = s.Pick(["a/#/b", "a#", "#a", "+a/b", "a/b+", "", "$share/g+/x", "$share//x", "$share/g", "$share/g/", "a/#/#"]);
        return s.Random.Next(2) == 0
            ? Refused($"invalid topic filter \"{filter}\" in SUBSCRIBE", Subscribe(s, Encoding.UTF8.GetBytes(filter), QosByte(s)), "MQTT-4.7.1-1, MQTT-4.7.1-2, MQTT-4.7.3-1, MQTT-4.8.2-1")
            : Refused($"invalid topic filter \"{filter}\" in UNSUBSCRIBE", Unsubscribe(s, Encoding.UTF8.GetBytes(filter)), "MQTT-4.7.1-1, MQTT-4.7.1-2, MQTT-4.7.3-1");
    }

    private static FuzzCase SecondConnect(SessionModel s) =>
        ProtocolError("a second CONNECT", PacketBytes.Encode(ValidPackets.Connect(s.Scratch(), withWill: false), s.Version), "MQTT-3.1.0-2");

    private static FuzzCase ServerOnlyPacket(SessionModel s)
    {
        var id = s.StrayPacketId();
        (string Name, byte[] Bytes)[] packets =
        [
            ("CONNACK", [0x20, 0x02, 0x00, 0x00]), ("SUBACK", [0x90, 0x03, (byte)(id >> 8), (byte)id, 0x00]),
            ("UNSUBACK", s.IsV5 ? [0xB0, 0x04, (byte)(id >> 8), (byte)id, 0x00, 0x00] : [0xB0, 0x02, (byte)(id >> 8), (byte)id]), ("PINGRESP", [0xD0, 0x00]),
        ];
        var (name, bytes) = s.Pick(packets);
        return Refused($"{name} from a client", bytes, "3.1.1 4.8, 5.0 4.13: a packet only the server sends");
    }

    private static FuzzCase SubscribeWithoutFilters(SessionModel s)
    {
        var body = new PacketBytes().UInt16(s.PacketId());
        if (s.IsV5)
            body.Properties(_ => { });
        return ProtocolError("SUBSCRIBE without topic filters", body.Packet(0x82),
            "MQTT-3.8.3-3 (5.0 MQTT-3.8.3-2: A SUBSCRIBE packet with no Payload is a Protocol Error)");
    }

    private static FuzzCase UnsubscribeWithoutFilters(SessionModel s)
    {
        var body = new PacketBytes().UInt16(s.PacketId());
        if (s.IsV5)
            body.Properties(_ => { });
        return ProtocolError("UNSUBSCRIBE without topic filters", body.Packet(0xA2),
            "MQTT-3.10.3-2 (5.0: An UNSUBSCRIBE packet with no Payload is a Protocol Error)");
    }

    private static FuzzCase SubscribeQos3(SessionModel s)
    {
        var packet = Subscribe(s, Encoding.UTF8.GetBytes(s.Topic()), 0x03);
        return s.IsV5
            ? ProtocolError("SUBSCRIBE Maximum QoS 3", packet, "5.0 3.8.3.1: It is a Protocol Error if the Maximum QoS field has the value 3")
            : Malformed("SUBSCRIBE requested QoS 3", packet, "MQTT-3.8.3-4");
    }

    private static FuzzCase SubscribeReservedBits(SessionModel s)
    {
        var reserved = s.IsV5 ? (byte)(s.Random.Next(1, 4) << 6) : (byte)(s.Random.Next(1, 64) << 2);
        return Malformed("SUBSCRIBE reserved option bits", Subscribe(s, Encoding.UTF8.GetBytes(s.Topic()), (byte)(reserved | QosByte(s))),
            "MQTT-3.8.3-4 (5.0 MQTT-3.8.3-5)");
    }

    private static FuzzCase SubscribeFilterWithoutOptions(SessionModel s)
    {
        var packet = Subscribe(s, Encoding.UTF8.GetBytes(s.Topic()), 0);
        PacketBytes.TryReadHeader(packet, out var headerLength, out _);
        return Malformed("SUBSCRIBE filter without its options byte", PacketBytes.Frame(0x82, packet.AsSpan(headerLength, packet.Length - headerLength - 1)),
            "3.8.3: each filter is followed by its options byte");
    }
}

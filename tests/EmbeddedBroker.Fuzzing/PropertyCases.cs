using System.Text;
using EmbeddedBroker.Protocol;
using static EmbeddedBroker.Fuzzing.FuzzCase;

namespace EmbeddedBroker.Fuzzing;

/// <summary>MQTT 5 packets after CONNACK whose fault is in the properties (2.2.2) or in what they set up (aliases,
/// subscription identifiers, subscription options, session expiry, AUTH).</summary>
internal static class PropertyCases
{
    private static readonly Func<SessionModel, FuzzCase?>[] Cases =
    [
        DuplicateProperty, PropertyNotAllowed, UnknownProperty, PropertyLengthPastTheEnd, PropertyValueCut,
        PropertyIdOverFourBytes, IllFormedUtf8InProperty, TopicAliasZero, TopicAliasAboveMaximum, UndefinedTopicAlias,
        SubscriptionIdentifierInPublish, SubscriptionIdentifierZero, TwoSubscriptionIdentifiers, RetainHandling3,
        NoLocalOnSharedSubscription, DisconnectExtendsZeroSessionExpiry, AuthWithoutAuthenticationMethod,
        DisconnectReasonCodeNotAllowed, PayloadFormatIndicatorTwo, ResponseTopicWithWildcard,
    ];

    private static readonly byte[] UnknownIds =
        [0x00, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x14, 0x1B, 0x1D, 0x1E, 0x20, 0x2B, 0x30, 0x50, 0x7F];

    public static FuzzCase Next(SessionModel s)
    {
        while (true)
        {
            if (s.Pick(Cases)(s) is { } fuzzCase)
                return fuzzCase;
        }
    }

    /// <summary>A well-formed value for property <paramref name="id"/> (2.2.2.2 table 2-4), within its allowed range.</summary>
    internal static void WriteProperty(PacketBytes block, SessionModel s, byte id)
    {
        block.Byte(id);
        switch (id)
        {
            case 0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A: block.Byte((byte)s.Random.Next(2)); break;
            case 0x02 or 0x11 or 0x18: block.UInt32((uint)s.Random.Next(1, 1000)); break;
            case 0x27: block.UInt32((uint)s.Random.Next(1024, 65536)); break;
            case 0x13 or 0x21 or 0x22: block.UInt16(s.Random.Next(1, 100)); break;
            case 0x23: block.UInt16(s.Random.Next(1, Math.Max(2, s.Limits.TopicAliasMaximum + 1))); break;
            case 0x03 or 0x12 or 0x15 or 0x1A or 0x1C or 0x1F: block.String(s.Level()); break;
            case 0x08: block.String(s.Topic()); break;
            case 0x09 or 0x16: block.LengthPrefixed(s.RandomBytes(0, 16)); break;
            case 0x0B: block.VarInt(s.Random.Next(1, 268_435_455)); break;
            case 0x26: block.String(s.Level()).String(s.Level()); break;
            default: throw new ArgumentOutOfRangeException(nameof(id), id, "not a property identifier");
        }
    }

    private static byte[] PublishWith(SessionModel s, Action<PacketBytes> properties) =>
        MalformedCases.Publish(s, MalformedCases.PublishHeader(s), Encoding.UTF8.GetBytes(s.Topic()), properties: properties);

    private static byte[] SubscribeWith(SessionModel s, Action<PacketBytes> properties, byte options = 0x01, string? filter = null) =>
        MalformedCases.Subscribe(s, Encoding.UTF8.GetBytes(filter ?? s.Topic()), options, properties);

    private static FuzzCase DuplicateProperty(SessionModel s)
    {
        if (s.Chance(0.2))
        {
            var id = s.StrayPacketId();
            var ack = new PacketBytes().UInt16(id).Byte(0x00).Properties(b => { WriteProperty(b, s, 0x1F); WriteProperty(b, s, 0x1F); });
            return ProtocolError("PUBACK with the Reason String twice", ack.Packet(0x40), "3.4.2.2.2: It is a Protocol Error to include the Reason String more than once");
        }

        var property = s.Pick<byte>([0x01, 0x02, 0x03, 0x08, 0x09, 0x23]);
        return ProtocolError($"PUBLISH with property 0x{property:X2} twice", PublishWith(s, b =>
        {
            WriteProperty(b, s, property);
            if (s.Chance(0.5))
                WriteProperty(b, s, 0x26); // user properties may repeat and sit in between
            WriteProperty(b, s, property);
        }), "5.0 3.3.2.3: It is a Protocol Error to include the property more than once");
    }

    private static FuzzCase PropertyNotAllowed(SessionModel s)
    {
        byte[] notOnPublish = [0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1C, 0x1F, 0x21, 0x22, 0x24, 0x25, 0x27, 0x28, 0x29, 0x2A];
        const string Spec = "5.0 2.2.2.2: an identifier not valid for its packet type is a Malformed Packet";
        var id = s.StrayPacketId();
        switch (s.Random.Next(4))
        {
            case 0:
                var onPublish = s.Pick(notOnPublish);
                return Malformed($"PUBLISH with property 0x{onPublish:X2}", PublishWith(s, b => WriteProperty(b, s, onPublish)), Spec);
            case 1:
                var onSubscribe = s.Pick(notOnPublish.Where(p => p != 0x0B).Concat([(byte)0x01, (byte)0x02, (byte)0x23]).ToArray());
                return Malformed($"SUBSCRIBE with property 0x{onSubscribe:X2}", SubscribeWith(s, b => WriteProperty(b, s, onSubscribe)), Spec);
            case 2:
                var onAck = s.Pick<byte>([0x01, 0x02, 0x0B, 0x11, 0x21, 0x23]);
                var ack = new PacketBytes().UInt16(id).Byte(0x00).Properties(b => WriteProperty(b, s, onAck));
                return Malformed($"PUBACK with property 0x{onAck:X2}", ack.Packet(0x40), Spec);
            default:
                var onDisconnect = s.Pick<byte>([0x01, 0x02, 0x18, 0x21, 0x23, 0x15]);
                var disconnect = new PacketBytes().Byte(0x00).Properties(b => WriteProperty(b, s, onDisconnect));
                return Malformed($"DISCONNECT with property 0x{onDisconnect:X2}", disconnect.Packet(0xE0), Spec);
        }
    }

    private static FuzzCase UnknownProperty(SessionModel s)
    {
        var id = s.Pick(UnknownIds);
        return Malformed($"unknown property 0x{id:X2}", PublishWith(s, b => b.Byte(id).Raw(s.RandomBytes(0, 4))), "5.0 2.2.2.2");
    }

    private static FuzzCase PropertyLengthPastTheEnd(SessionModel s)
    {
        var body = new PacketBytes().String(s.Topic()).VarInt(s.Random.Next(1, 10_000)).Raw(s.RandomBytes(0, 8));
        return Malformed("property length past the end of the packet", body.Packet(0x30), "5.0 2.2.2.1");
    }

    private static FuzzCase PropertyValueCut(SessionModel s)
    {
        var id = s.Pick<byte>([0x02, 0x03, 0x08, 0x09, 0x23, 0x26]);
        var block = new PacketBytes();
        WriteProperty(block, s, id);
        var full = block.ToArray();
        var cut = full.AsSpan(0, s.Random.Next(1, full.Length)).ToArray();
        var body = new PacketBytes().String(s.Topic()).VarInt(cut.Length).Raw(cut).Raw(s.RandomBytes(0, 8));
        return Malformed($"property 0x{id:X2} cut by the property length", body.Packet(0x30), "5.0 2.2.2.1, 2.2.2.2");
    }

    private static FuzzCase PropertyIdOverFourBytes(SessionModel s) =>
        Malformed("property identifier of 5 bytes", PublishWith(s, b => b.Raw([0x81, 0x80, 0x80, 0x80, 0x00])), "5.0 1.5.5, 2.2.2.2");

    private static FuzzCase IllFormedUtf8InProperty(SessionModel s)
    {
        var bad = Utf8Faults.IllFormedText(s, s.Level());
        return s.Random.Next(3) switch
        {
            0 => Malformed("ill-formed UTF-8 in a user property name", PublishWith(s, b => b.Byte(0x26).LengthPrefixed(bad).String("v")), "5.0 MQTT-1.5.4-1"),
            1 => Malformed("ill-formed UTF-8 in a user property value", PublishWith(s, b => b.Byte(0x26).String("k").LengthPrefixed(bad)), "5.0 MQTT-1.5.4-1"),
            _ => Malformed("ill-formed UTF-8 in the content type", PublishWith(s, b => b.Byte(0x03).LengthPrefixed(bad)), "5.0 MQTT-1.5.4-1"),
        };
    }

    private static FuzzCase TopicAliasZero(SessionModel s) =>
        Refused("topic alias 0", PublishWith(s, b => b.Byte(0x23).UInt16(0)), "MQTT-3.3.2-8 (DISCONNECT 0x94)", MqttReasonCode.TopicAliasInvalid);

    private static FuzzCase TopicAliasAboveMaximum(SessionModel s) =>
        Refused("topic alias above the Topic Alias Maximum", PublishWith(s, b => b.Byte(0x23).UInt16(s.Random.Next(s.Limits.TopicAliasMaximum + 1, 65536))),
            "5.0 3.3.2.3.4, MQTT-3.3.2-9 (DISCONNECT 0x94)", MqttReasonCode.TopicAliasInvalid);

    private static FuzzCase? UndefinedTopicAlias(SessionModel s) => s.UndefinedAlias() is not { } alias ? null
        : ProtocolError("empty topic with a topic alias never defined",
            MalformedCases.Publish(s, MalformedCases.PublishHeader(s), [], properties: b => b.Byte(0x23).UInt16(alias)),
            "5.0 3.3.2.3.4: an alias the receiver has no mapping for is a Protocol Error");

    private static FuzzCase SubscriptionIdentifierInPublish(SessionModel s) =>
        Refused("PUBLISH from a client with a subscription identifier", PublishWith(s, b => WriteProperty(b, s, 0x0B)), "MQTT-3.3.4-6");

    private static FuzzCase SubscriptionIdentifierZero(SessionModel s) =>
        ProtocolError("SUBSCRIBE with subscription identifier 0", SubscribeWith(s, b => b.Byte(0x0B).VarInt(0)),
            "5.0 3.8.2.1.2: It is a Protocol Error if the Subscription Identifier has a value of 0");

    private static FuzzCase TwoSubscriptionIdentifiers(SessionModel s) =>
        ProtocolError("SUBSCRIBE with two subscription identifiers", SubscribeWith(s, b => { WriteProperty(b, s, 0x0B); WriteProperty(b, s, 0x0B); }),
            "5.0 3.8.2.1.2: It is a Protocol Error to include the Subscription Identifier more than once");

    private static FuzzCase RetainHandling3(SessionModel s) =>
        ProtocolError("SUBSCRIBE retain handling 3", SubscribeWith(s, _ => { }, (byte)(0x30 | s.Random.Next(3))),
            "5.0 3.8.3.1: It is a Protocol Error to send a Retain Handling value of 3");

    private static FuzzCase NoLocalOnSharedSubscription(SessionModel s) =>
        ProtocolError("no local on a shared subscription", SubscribeWith(s, _ => { }, (byte)(0x04 | s.Random.Next(3)), "$share/g/" + s.Topic()), "MQTT-3.8.3-4");

    private static FuzzCase? DisconnectExtendsZeroSessionExpiry(SessionModel s) => s.HasSessionExpiry ? null
        : ProtocolError("DISCONNECT sets a session expiry after CONNECT had none",
            new PacketBytes().Byte(0x00).Properties(b => b.Byte(0x11).UInt32((uint)s.Random.Next(1, 100))).Packet(0xE0), "MQTT-3.14.2-2");

    private static FuzzCase AuthWithoutAuthenticationMethod(SessionModel s) =>
        Refused("AUTH without enhanced authentication at CONNECT",
            new PacketBytes().Byte(s.Pick<byte>([0x18, 0x19])).Properties(b => b.Byte(0x15).String("FUZZ")).Packet(0xF0), "5.0 4.12: AUTH belongs to an enhanced authentication");

    private static FuzzCase DisconnectReasonCodeNotAllowed(SessionModel s) =>
        Refused("DISCONNECT with a reason code it cannot carry", [0xE0, 0x01, s.Pick<byte>([0x01, 0x02, 0x03, 0x05, 0x10, 0x18, 0x19, 0x84, 0x85, 0x86, 0x88])], "MQTT-3.14.2-1");

    private static FuzzCase PayloadFormatIndicatorTwo(SessionModel s) =>
        Refused("payload format indicator above 1", PublishWith(s, b => b.Byte(0x01).Byte((byte)s.Random.Next(2, 256))), "5.0 3.3.2.3.2");

    private static FuzzCase ResponseTopicWithWildcard(SessionModel s) =>
        Refused("response topic with a wildcard", PublishWith(s, b => b.Byte(0x08).String(s.TopicRoot + "/" + s.Pick(["+", "#", "a/+/b"]))), "MQTT-3.3.2-14");
}

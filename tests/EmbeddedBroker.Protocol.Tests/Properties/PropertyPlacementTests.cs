using EmbeddedBroker.Protocol.Tests.Support;

namespace EmbeddedBroker.Protocol.Tests.Properties;

/// <summary>
/// Table 2-4 of MQTT 5.0 (section 2.2.2.2), transcribed here independently of the codec: every property is put into a
/// minimal packet of every kind. Where the table lists the packet it must decode; anywhere else it is a protocol error
/// (Malformed). A second copy of a property is a protocol error except User Property, and Subscription Identifier on PUBLISH.
/// </summary>
public sealed class PropertyPlacementTests
{
    private static readonly string[] AllPlaces =
        ["CONNECT", "WILL", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT", "AUTH"];

    /// <summary>Property bytes (identifier and value) and where table 2-4 allows it.</summary>
    private static readonly (string Name, string Bytes, string AllowedIn)[] Table =
    [
        ("Payload Format Indicator 0x01", "01 01", "PUBLISH WILL"),
        ("Message Expiry Interval 0x02", "02 00 00 00 0A", "PUBLISH WILL"),
        ("Content Type 0x03", "03 00 01 't'", "PUBLISH WILL"),
        ("Response Topic 0x08", "08 00 01 'r'", "PUBLISH WILL"),
        ("Correlation Data 0x09", "09 00 01 01", "PUBLISH WILL"),
        ("Subscription Identifier 0x0B", "0B 01", "PUBLISH SUBSCRIBE"),
        ("Session Expiry Interval 0x11", "11 00 00 00 0A", "CONNECT CONNACK DISCONNECT"),
        ("Assigned Client Identifier 0x12", "12 00 01 'c'", "CONNACK"),
        ("Server Keep Alive 0x13", "13 00 0A", "CONNACK"),
        ("Authentication Method 0x15", "15 00 01 'm'", "CONNECT CONNACK AUTH"),
        // Authentication Data is only valid next to an Authentication Method (3.1.2.11.10), so the method rides along.
        ("Authentication Data 0x16", "15 00 01 'm' 16 00 01 01", "CONNECT CONNACK AUTH"),
        ("Request Problem Information 0x17", "17 01", "CONNECT"),
        ("Will Delay Interval 0x18", "18 00 00 00 0A", "WILL"),
        ("Request Response Information 0x19", "19 01", "CONNECT"),
        ("Response Information 0x1A", "1A 00 01 'i'", "CONNACK"),
        ("Server Reference 0x1C", "1C 00 01 's'", "CONNACK DISCONNECT"),
        ("Reason String 0x1F", "1F 00 01 'r'", "CONNACK PUBACK PUBREC PUBREL PUBCOMP SUBACK UNSUBACK DISCONNECT AUTH"),
        ("Receive Maximum 0x21", "21 00 0A", "CONNECT CONNACK"),
        ("Topic Alias Maximum 0x22", "22 00 0A", "CONNECT CONNACK"),
        ("Topic Alias 0x23", "23 00 01", "PUBLISH"),
        ("Maximum QoS 0x24", "24 01", "CONNACK"),
        ("Retain Available 0x25", "25 01", "CONNACK"),
        ("User Property 0x26", "26 00 01 'k' 00 01 'v'", "CONNECT WILL CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE UNSUBACK DISCONNECT AUTH"),
        ("Maximum Packet Size 0x27", "27 00 00 01 00", "CONNECT CONNACK"),
        ("Wildcard Subscription Available 0x28", "28 01", "CONNACK"),
        ("Subscription Identifier Available 0x29", "29 01", "CONNACK"),
        ("Shared Subscription Available 0x2A", "2A 01", "CONNACK"),
    ];

    private static IEnumerable<TestCaseData> Placements()
    {
        foreach (var (name, bytes, allowedIn) in Table)
        {
            var allowed = allowedIn.Split(' ');
            foreach (var place in AllPlaces)
            {
                var isAllowed = allowed.Contains(place);
                yield return new TestCaseData(place, bytes, isAllowed)
                    .SetArgDisplayNames($"{name} in {place} is {(isAllowed ? "allowed" : "a protocol error")}");
            }
        }
    }

    private static IEnumerable<TestCaseData> Duplicates()
    {
        foreach (var (name, bytes, allowedIn) in Table)
        {
            var place = allowedIn.Split(' ')[0];
            var repeatable = name.StartsWith("User Property", StringComparison.Ordinal) ||
                             (name.StartsWith("Subscription Identifier 0x0B", StringComparison.Ordinal) && place == "PUBLISH");
            yield return new TestCaseData(place, bytes + " " + bytes, repeatable)
                .SetArgDisplayNames($"{name} twice in {place} is {(repeatable ? "allowed" : "a protocol error")}");
        }
        yield return new TestCaseData("SUBSCRIBE", "0B 01 0B 02", false)
            .SetArgDisplayNames("Subscription Identifier 0x0B twice in SUBSCRIBE is a protocol error");
    }

    [TestCaseSource(nameof(Placements))]
    public void Property_is_accepted_only_where_table_2_4_lists_it(string place, string propertyBytes, bool allowed)
    {
        // 2.2.2.2: an identifier not valid for the packet type makes it a Malformed Packet.
        AssertDecodes(place, propertyBytes, allowed, DecodeStatus.Malformed);
    }

    [TestCaseSource(nameof(Duplicates))]
    public void Property_may_appear_twice_only_if_repeatable(string place, string propertyBytes, bool allowed)
    {
        // 2.2.2.2 / 3.x.2.x: including a non-repeatable property more than once is a Protocol Error (0x82, not 0x81).
        AssertDecodes(place, propertyBytes, allowed, DecodeStatus.ProtocolError);
    }

    private static void AssertDecodes(string place, string propertyBytes, bool allowed, DecodeStatus refusal)
    {
        var packet = MinimalPacket(place, Hex.Parse(propertyBytes));

        var (status, _, _, error) = Wire.Decode(packet, MqttProtocolVersion.V500);

        Assert.That(status, Is.EqualTo(allowed ? DecodeStatus.Decoded : refusal), error);
    }

    /// <summary>The smallest valid 5.0 packet of each kind around a property block (all lengths below 128).</summary>
    private static byte[] MinimalPacket(string place, byte[] properties)
    {
        byte[] block = [(byte)properties.Length, .. properties];
        return place switch
        {
            "CONNECT" => Frame(0x10, Hex.Parse("00 04 'MQTT' 05 02 00 00"), block, Hex.Parse("00 01 'c'")),
            "WILL" => Frame(0x10, Hex.Parse("00 04 'MQTT' 05 06 00 00 00 00 01 'c'"), block, Hex.Parse("00 01 'w' 00 00")),
            "CONNACK" => Frame(0x20, Hex.Parse("00 00"), block, []),
            "PUBLISH" => Frame(0x30, Hex.Parse("00 01 'a'"), block, []),
            "PUBACK" => Frame(0x40, Hex.Parse("00 01 00"), block, []),
            "PUBREC" => Frame(0x50, Hex.Parse("00 01 00"), block, []),
            "PUBREL" => Frame(0x62, Hex.Parse("00 01 00"), block, []),
            "PUBCOMP" => Frame(0x70, Hex.Parse("00 01 00"), block, []),
            "SUBSCRIBE" => Frame(0x82, Hex.Parse("00 01"), block, Hex.Parse("00 01 'a' 00")),
            "SUBACK" => Frame(0x90, Hex.Parse("00 01"), block, Hex.Parse("00")),
            "UNSUBSCRIBE" => Frame(0xA2, Hex.Parse("00 01"), block, Hex.Parse("00 01 'a'")),
            "UNSUBACK" => Frame(0xB0, Hex.Parse("00 01"), block, Hex.Parse("00")),
            "DISCONNECT" => Frame(0xE0, Hex.Parse("00"), block, []),
            "AUTH" => Frame(0xF0, Hex.Parse("00"), block, []),
            _ => throw new ArgumentOutOfRangeException(nameof(place), place, null),
        };
    }

    private static byte[] Frame(byte firstByte, byte[] before, byte[] block, byte[] after)
    {
        var remaining = before.Length + block.Length + after.Length;
        Assert.That(remaining, Is.LessThan(128), "test packets keep a one-byte remaining length");
        return [firstByte, (byte)remaining, .. before, .. block, .. after];
    }
}

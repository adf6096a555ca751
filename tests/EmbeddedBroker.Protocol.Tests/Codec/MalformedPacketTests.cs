using EmbeddedBroker.Protocol.Tests.Support;
using static EmbeddedBroker.Protocol.MqttProtocolVersion;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>
/// Bytes that break a spec statement must decode as Malformed (or, for what MQTT 5 calls a Protocol Error, as
/// ProtocolError, so that the broker answers 0x82 instead of 0x81), with a reason, consuming nothing. Each row names
/// the statement it breaks. Every row is also run with one byte per segment.
/// </summary>
public sealed class MalformedPacketTests
{
    private static IEnumerable<TestCaseData> Rows()
    {
        static TestCaseData Row(string name, MqttProtocolVersion version, string bytes) =>
            new TestCaseData(version, bytes, DecodeStatus.Malformed).SetArgDisplayNames(name);

        // 2.2.2.2 and the per-property rules: a duplicate property or a forbidden 0 is a Protocol Error.
        static TestCaseData ProtocolErrorRow(string name, MqttProtocolVersion version, string bytes) =>
            new TestCaseData(version, bytes, DecodeStatus.ProtocolError).SetArgDisplayNames(name);

        // Fixed header (2.2)
        yield return Row("Remaining length of 5 bytes MQTT_1_5_5", V311, "30 FF FF FF FF 01");
        yield return Row("Reserved packet type 0 MQTT_2_2_1", V311, "00 00");
        yield return Row("AUTH type 15 is reserved in 3.1.1", V311, "F0 00");
        yield return Row("PUBLISH QoS 3 MQTT_3_3_1_4", V311, "36 05 00 03 'a/b'");
        yield return Row("PUBLISH QoS 3 in 5.0 MQTT_3_3_1_4", V500, "36 06 00 03 'a/b' 00");
        yield return Row("PUBLISH QoS 0 with DUP in 3.1.1 MQTT_3_3_1_2", V311, "38 05 00 03 'a/b'");
        yield return Row("PUBLISH QoS 0 with DUP in 5.0 MQTT_3_3_1_2", V500, "38 06 00 03 'a/b' 00");
        yield return Row("PUBREL flags 0000 MQTT_3_6_1_1", V311, "60 02 00 01");
        yield return Row("SUBSCRIBE flags 0000 MQTT_3_8_1_1", V311, "80 06 00 01 00 01 'a' 00");
        yield return Row("UNSUBSCRIBE flags 0000 MQTT_3_10_1_1", V311, "A0 05 00 01 00 01 'a'");
        yield return Row("PUBACK flags 0001 MQTT_2_2_2_2", V311, "41 02 00 01");
        yield return Row("CONNECT flags 0001 MQTT_2_2_2_2", V311, "11 10 00 04 'MQTT' 04 02 00 3C 00 04 'test'");
        yield return Row("PINGREQ flags 0001 MQTT_2_2_2_2", V311, "C1 00");

        // Length must match content (2.2.3)
        yield return Row("PINGREQ with a trailing byte", V311, "C0 01 00");
        yield return Row("PUBACK 3.1.1 with a trailing byte", V311, "40 03 00 01 00");
        yield return Row("DISCONNECT 3.1.1 with a trailing byte", V311, "E0 01 00");
        yield return Row("CONNECT with a trailing byte", V311, "10 11 00 04 'MQTT' 04 02 00 3C 00 04 'test' 00");
        yield return Row("PUBACK shorter than a packet id", V311, "40 01 00");
        yield return Row("String length runs past the end of the packet MQTT_1_5_3", V311, "30 04 00 05 'ab'");

        // UTF-8 strings (1.5.3)
        yield return Row("Topic with ill-formed UTF-8 MQTT_1_5_3_1", V311, "30 04 00 02 C3 28");
        yield return Row("Topic with an encoded surrogate U+D800 MQTT_1_5_3_1", V311, "30 05 00 03 ED A0 80");
        yield return Row("Topic with overlong encoding of slash MQTT_1_5_3_1", V311, "30 04 00 02 C0 AF");
        yield return Row("Topic with U+0000 MQTT_1_5_3_2", V311, "30 05 00 03 'a' 00 'b'");
        yield return Row("Client id with U+0000 MQTT_1_5_3_2", V311, "10 0D 00 04 'MQTT' 04 02 00 3C 00 01 00");
        yield return Row("User property with ill-formed UTF-8 MQTT_1_5_3_1", V500, "30 0B 00 01 'a' 07 26 00 01 FF 00 01 'v'");

        // Packet identifiers (2.3.1)
        yield return Row("PUBLISH QoS 1 with packet id 0 MQTT_2_3_1_1", V311, "32 05 00 01 'a' 00 00");
        yield return Row("PUBLISH QoS 2 with packet id 0 MQTT_2_3_1_1", V500, "34 06 00 01 'a' 00 00 00");
        yield return Row("SUBSCRIBE with packet id 0 MQTT_2_3_1_1", V311, "82 06 00 00 00 01 'a' 00");
        yield return Row("UNSUBSCRIBE with packet id 0 MQTT_2_3_1_1", V311, "A2 05 00 00 00 01 'a'");
        yield return Row("PUBACK with packet id 0 MQTT_2_3_1_1", V311, "40 02 00 00");
        yield return Row("PUBREL with packet id 0 MQTT_2_3_1_1", V500, "62 02 00 00");
        yield return Row("SUBACK with packet id 0 MQTT_2_3_1_1", V311, "90 03 00 00 00");
        yield return Row("UNSUBACK with packet id 0 MQTT_2_3_1_1", V311, "B0 02 00 00");

        // CONNECT (3.1)
        yield return Row("CONNECT reserved flag set MQTT_3_1_2_3", V311, "10 10 00 04 'MQTT' 04 03 00 3C 00 04 'test'");
        yield return Row("CONNECT reserved flag set in 5.0 MQTT_3_1_2_3", V500, "10 11 00 04 'MQTT' 05 03 00 3C 00 00 04 'test'");
        yield return Row("CONNECT will QoS 3 MQTT_3_1_2_14", V311, "10 10 00 04 'MQTT' 04 1E 00 3C 00 04 'test'");
        yield return Row("CONNECT will QoS without will flag MQTT_3_1_2_13", V311, "10 10 00 04 'MQTT' 04 0A 00 3C 00 04 'test'");
        yield return Row("CONNECT will retain without will flag MQTT_3_1_2_15", V311, "10 10 00 04 'MQTT' 04 22 00 3C 00 04 'test'");
        yield return Row("CONNECT will flag without will topic MQTT_3_1_2_9", V311, "10 10 00 04 'MQTT' 04 06 00 3C 00 04 'test'");
        yield return Row("CONNECT password without user name in 3.1.1 MQTT_3_1_2_22", V311, "10 13 00 04 'MQTT' 04 42 00 3C 00 04 'test' 00 01 'p'");
        yield return Row("CONNECT password without user name in 3.1 MQTT_3_1_2_22", V311, "10 15 00 06 'MQIsdp' 03 42 00 3C 00 04 'test' 00 01 'p'");
        yield return Row("CONNECT user name flag without user name MQTT_3_1_2_19", V311, "10 10 00 04 'MQTT' 04 82 00 3C 00 04 'test'");
        yield return Row("CONNECT password flag without password MQTT_3_1_2_21", V311, "10 13 00 04 'MQTT' 04 C2 00 3C 00 04 'test' 00 01 'u'");
        yield return Row("CONNECT without client id MQTT_3_1_3_3", V311, "10 0A 00 04 'MQTT' 04 02 00 3C");
        yield return Row("CONNECT truncated before the protocol level MQTT_3_1_2_2", V311, "10 06 00 04 'MQTT'");
        yield return ProtocolErrorRow("CONNECT 5.0 receive maximum 0 (3.1.2.11.3)", V500, "10 14 00 04 'MQTT' 05 02 00 3C 03 21 00 00 00 04 'test'");
        yield return ProtocolErrorRow("CONNECT 5.0 maximum packet size 0 (3.1.2.11.4)", V500, "10 16 00 04 'MQTT' 05 02 00 3C 05 27 00 00 00 00 00 04 'test'");
        yield return ProtocolErrorRow("CONNECT 5.0 request problem information 2 (3.1.2.11.7)", V500, "10 13 00 04 'MQTT' 05 02 00 3C 02 17 02 00 04 'test'");
        yield return ProtocolErrorRow("CONNECT 5.0 request response information 2 (3.1.2.11.6)", V500, "10 13 00 04 'MQTT' 05 02 00 3C 02 19 02 00 04 'test'");
        yield return ProtocolErrorRow("CONNECT 5.0 authentication data without method (3.1.2.11.10)", V500, "10 15 00 04 'MQTT' 05 02 00 3C 04 16 00 01 01 00 04 'test'");
        yield return ProtocolErrorRow("CONNECT 5.0 duplicate session expiry interval (3.1.2.11.2)", V500,
            "10 1B 00 04 'MQTT' 05 02 00 3C 0A 11 00 00 00 01 11 00 00 00 02 00 04 'test'");
        yield return Row("CONNECT 5.0 will delay interval in CONNECT properties (2.2.2.2)", V500, "10 16 00 04 'MQTT' 05 02 00 3C 05 18 00 00 00 01 00 04 'test'");
        yield return Row("CONNECT 5.0 session expiry interval in will properties (3.1.3.2)", V500,
            "10 1A 00 04 'MQTT' 05 06 00 3C 00 00 01 'c' 05 11 00 00 00 01 00 01 'w' 00 01 'x'");

        // CONNACK (3.2)
        yield return Row("CONNACK 3.1.1 reserved return code 6 (3.2.2.3)", V311, "20 02 00 06");
        yield return Row("CONNACK 3.1.1 reserved acknowledge flag bits (3.2.2.1)", V311, "20 02 02 00");
        yield return Row("CONNACK 5.0 reason code 0x01 is not a CONNACK reason (3.2.2.2)", V500, "20 03 00 01 00");
        yield return Row("CONNACK 5.0 topic alias property is not allowed (2.2.2.2)", V500, "20 06 00 00 03 23 00 01");

        // PUBLISH (3.3)
        yield return Row("PUBLISH 3.1.1 empty topic name MQTT_4_7_3_1", V311, "30 02 00 00");
        yield return ProtocolErrorRow("PUBLISH 5.0 empty topic name without topic alias (3.3.2.1)", V500, "30 03 00 00 00");
        yield return ProtocolErrorRow("PUBLISH 5.0 subscription identifier 0 (3.3.2.3.8)", V500, "30 06 00 01 'a' 02 0B 00");
        yield return Row("PUBLISH 5.0 subscription identifier over 4 bytes MQTT_1_5_5", V500, "30 0A 00 01 'a' 06 0B FF FF FF FF 01");
        yield return Row("PUBLISH 5.0 payload format indicator 2 (3.3.2.3.2)", V500, "30 06 00 01 'a' 02 01 02");
        yield return ProtocolErrorRow("PUBLISH 5.0 duplicate payload format indicator (3.3.2.3.2)", V500, "30 08 00 01 'a' 04 01 01 01 01");
        yield return ProtocolErrorRow("PUBLISH 5.0 duplicate topic alias (3.3.2.3.4)", V500, "30 0A 00 01 'a' 06 23 00 01 23 00 02");
        yield return Row("PUBLISH 5.0 session expiry interval not allowed (2.2.2.2)", V500, "30 09 00 01 'a' 05 11 00 00 00 00");
        yield return Row("PUBLISH 5.0 unknown property 0x7F (2.2.2.2)", V500, "30 06 00 01 'a' 02 7F 00");
        yield return Row("PUBLISH 5.0 property length past the end of the packet (2.2.2.1)", V500, "30 05 00 01 'a' 05 01");
        yield return Row("PUBLISH 5.0 property value cut by the property length (2.2.2.1)", V500, "30 08 00 01 'a' 02 02 00 00 00");

        // Publish acknowledgements (3.4 - 3.7)
        yield return Row("PUBACK 5.0 reason code 0x05 not allowed (3.4.2.1)", V500, "40 03 00 01 05");
        yield return Row("PUBREL 5.0 reason code 0x10 not allowed (3.6.2.1)", V500, "62 03 00 01 10");
        yield return Row("PUBACK 5.0 user property cut short (2.2.2.2)", V500, "40 07 00 01 00 03 26 00 01");
        yield return Row("PUBACK 5.0 subscription identifier not allowed (2.2.2.2)", V500, "40 06 00 01 00 02 0B 01");

        // SUBSCRIBE / SUBACK (3.8, 3.9)
        yield return ProtocolErrorRow("SUBSCRIBE without topic filters MQTT_3_8_3_3", V311, "82 02 00 01");
        yield return ProtocolErrorRow("SUBSCRIBE 5.0 without topic filters is a Protocol Error MQTT_3_8_3_2", V500, "82 03 00 01 00");
        yield return Row("SUBSCRIBE filter without options byte MQTT_3_8_3_1", V311, "82 05 00 01 00 01 'a'");
        yield return Row("SUBSCRIBE 3.1.1 reserved bits in requested QoS MQTT_3_8_3_4", V311, "82 06 00 01 00 01 'a' 04");
        yield return Row("SUBSCRIBE 3.1.1 requested QoS 3 MQTT_3_8_3_4", V311, "82 06 00 01 00 01 'a' 03");
        yield return ProtocolErrorRow("SUBSCRIBE 5.0 Maximum QoS 3 is a Protocol Error (3.8.3.1)", V500, "82 07 00 01 00 00 01 'a' 03");
        yield return Row("SUBSCRIBE 5.0 reserved option bits MQTT_3_8_3_5", V500, "82 07 00 01 00 00 01 'a' 40");
        yield return ProtocolErrorRow("SUBSCRIBE 5.0 retain handling 3 (3.8.3.1)", V500, "82 07 00 01 00 00 01 'a' 30");
        yield return ProtocolErrorRow("SUBSCRIBE 5.0 no local on a shared subscription MQTT_3_8_3_4", V500, "82 10 00 01 00 00 0A '$share/g/a' 04");
        yield return ProtocolErrorRow("SUBSCRIBE 5.0 two subscription identifiers (3.8.2.1.2)", V500, "82 0B 00 01 04 0B 01 0B 02 00 01 'a' 00");
        yield return Row("SUBSCRIBE 5.0 reason string not allowed (2.2.2.2)", V500, "82 0B 00 01 04 1F 00 01 'r' 00 01 'a' 00");
        yield return Row("SUBACK 3.1.1 reserved return code 0x03 MQTT_3_9_3_2", V311, "90 03 00 01 03");
        yield return Row("SUBACK 5.0 reason code 0x10 not allowed (3.9.3)", V500, "90 04 00 01 00 10");
        yield return Row("SUBACK without return codes (3.9.3)", V311, "90 02 00 01");

        // UNSUBSCRIBE / UNSUBACK (3.10, 3.11)
        yield return ProtocolErrorRow("UNSUBSCRIBE without topic filters MQTT_3_10_3_2", V311, "A2 02 00 01");
        yield return ProtocolErrorRow("UNSUBSCRIBE 5.0 without topic filters is a Protocol Error MQTT_3_10_3_2", V500, "A2 03 00 01 00");
        yield return Row("UNSUBACK 3.1.1 with a reason code byte (3.11)", V311, "B0 03 00 01 00");
        yield return Row("UNSUBACK 5.0 reason code 0x01 not allowed (3.11.3)", V500, "B0 04 00 01 00 01");

        // DISCONNECT / AUTH (3.14, 3.15)
        yield return Row("DISCONNECT 5.0 reason code 0x01 not allowed (3.14.2.1)", V500, "E0 01 01");
        yield return Row("DISCONNECT 5.0 will delay interval not allowed (2.2.2.2)", V500, "E0 07 00 05 18 00 00 00 01");
        yield return Row("AUTH 5.0 reason code 0x87 not allowed (3.15.2.1)", V500, "F0 01 87");
        yield return ProtocolErrorRow("AUTH 5.0 duplicate authentication method (3.15.2.2.2)", V500, "F0 0A 18 08 15 00 01 'a' 15 00 01 'b'");
    }

    [TestCaseSource(nameof(Rows))]
    public void Decode_reports_malformed_with_a_reason_and_consumes_nothing(MqttProtocolVersion version, string bytes, DecodeStatus expected)
    {
        var (status, packet, consumed, error) = Wire.Decode(Hex.Parse(bytes), version);
        TestContext.Out.WriteLine($"reason: {error}");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That(packet, Is.Null);
            Assert.That(consumed, Is.Zero);
            Assert.That(error, Is.Not.Null.And.Not.Empty);
        });
    }

    [TestCaseSource(nameof(Rows))]
    public void Decode_reports_malformed_from_one_byte_segments(MqttProtocolVersion version, string bytes, DecodeStatus expected)
    {
        var (status, _, consumed, _) = Wire.Decode(Segments.OneBytePerSegment(Hex.Parse(bytes)), version);

        Assert.That(status, Is.EqualTo(expected));
        Assert.That(consumed, Is.Zero);
    }
}

using System.Buffers;
using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Formats;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// The recorder's one JSON record encoder (raw bytes for plain text, the relaxed JSON encoder for what needs escaping)
/// writes exactly the bytes of System.Text.Json's Utf8JsonWriter for the same record.
/// </summary>
public sealed class JsonRecordEncoderTests
{
    private static IEnumerable<TestCaseData> PlainMessages()
    {
        yield return new TestCaseData(Messages.Text("sensors/t", "23.7")).SetName("Plain_ascii_reading");
        yield return new TestCaseData(Messages.Text("sensors/t", "", clientId: null)).SetName("Empty_payload_broker_message_without_client_id");
        yield return new TestCaseData(Messages.Text("sensors/t", "x", qos: MqttQualityOfService.AtLeastOnce, retain: true)).SetName("Qos_1_retained");
        yield return new TestCaseData(Messages.Text("sensors/t", "x", qos: MqttQualityOfService.ExactlyOnce)).SetName("Qos_2");
        yield return new TestCaseData(Messages.Text("capteurs/é/😀", "émoji 😀 日本 <&'+`>", clientId: "client-é")).SetName("Non_ascii_text_stays_utf8");
        yield return new TestCaseData(Messages.Text("sensors/t", "{\"a\":1}")).SetName("Quotes_need_escaping");
        yield return new TestCaseData(Messages.Text("sensors/t", "a\\b\tc\nd\u007f")).SetName("Backslash_and_control_characters_need_escaping");
        yield return new TestCaseData(Messages.Text("sensors/\"t\"", "1", clientId: "c\\1")).SetName("Topic_and_client_id_needing_escaping");
        yield return new TestCaseData(Messages.Bytes("sensors/bin", [0xFF, 0x00, 0x7F])).SetName("Invalid_utf8_is_base64");
        yield return new TestCaseData(Messages.Bytes("sensors/bin", [0xED, 0xA0, 0x80])).SetName("Encoded_surrogate_is_not_utf8");
        yield return new TestCaseData(Messages.Text("sensors/t", "\u2028\u00a0\ufeff")).SetName("Unicode_separators_and_bom");
        yield return new TestCaseData(Messages.Text("sensors/t", "{\"t\":21.5,\"u\":\"C\"}", clientId: "sensor\u0001")).SetName("Json_payload_and_control_character_in_client_id");
        yield return new TestCaseData(Messages.Text("sensors/a\ud800z", "1", clientId: "c\udc00")).SetName("Topic_and_client_id_that_are_not_valid_utf16");
        yield return new TestCaseData(Messages.Text("sensors/t", string.Concat(Enumerable.Repeat("\"\n\\😀é", 400_000))))
            .SetName("A_payload_escaped_to_more_than_one_megabyte_is_escaped_in_pieces");
        yield return new TestCaseData(Messages.Bytes("sensors/bin", [.. Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7))]))
            .SetName("A_large_binary_payload_is_one_base64_string");
    }

    [TestCaseSource(nameof(PlainMessages))]
    public void Record_bytes_equal_those_of_Utf8JsonWriter(MqttApplicationMessage message)
    {
        var (expected, encoded) = EncodeBothWays(message);

        Assert.That(Encoding.UTF8.GetString(encoded), Is.EqualTo(Encoding.UTF8.GetString(expected)));
        Assert.That(encoded.SequenceEqual(expected), Is.True);
    }

    [Test]
    public void Every_single_byte_payload_gives_the_bytes_of_Utf8JsonWriter()
    {
        for (var value = 0; value < 256; value++)
        {
            var (expected, encoded) = EncodeBothWays(Messages.Bytes("sensors/t", [(byte)'a', (byte)value, (byte)'z']));
            Assert.That(encoded.SequenceEqual(expected), Is.True, $"byte 0x{value:X2}");
        }
    }

    [Test]
    public void Every_single_character_topic_and_client_id_gives_the_bytes_of_Utf8JsonWriter()
    {
        for (var value = 0; value < 0x3000; value++)
        {
            var text = $"a{(char)value}z"; // control, ASCII, Latin, BMP text; lone surrogates (0xD800-0xDFFF) are in PlainMessages
            var (expected, encoded) = EncodeBothWays(Messages.Text("sensors/" + text, "1", clientId: text));
            Assert.That(encoded.SequenceEqual(expected), Is.True, $"character U+{value:X4}");
        }
    }

    [Test]
    public void Plain_path_is_taken_for_a_typical_sensor_reading()
    {
        var record = new MessageRecordFactory().Create(Messages.Text("sensors/room1/temperature", "{sensor:t1,value:23.75}", clientId: "sensor-1"));
        Assert.That(record.IsPlainJson, Is.True);
        Assert.That(record.PayloadIsUtf8, Is.True);
    }

    private static (byte[] Expected, byte[] Encoded) EncodeBothWays(MqttApplicationMessage message)
    {
        var factory = new MessageRecordFactory();
        using var reference = new Utf8JsonWriterRecord();
        var expected = reference.Write(factory.Create(message));
        var encoded = new ArrayBufferWriter<byte>();
        JsonRecordEncoder.Write(encoded, factory.Create(message));
        return (expected, encoded.WrittenSpan.ToArray());
    }
}

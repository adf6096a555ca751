using System.Buffers;
using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Sinks;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>The JSON record assembled from raw bytes must be exactly what Utf8JsonWriter writes for the same message.</summary>
public sealed class PlainJsonRecordTests
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
    }

    [TestCaseSource(nameof(PlainMessages))]
    public void Record_bytes_equal_those_of_Utf8JsonWriter(MqttApplicationMessage message)
    {
        var factory = new MessageRecordFactory();
        using var format = new JsonRecordFormat();
        var viaWriter = new ArrayBufferWriter<byte>();
        var viaFormat = new ArrayBufferWriter<byte>();

        format.WriteWithJsonWriter(viaWriter, factory.Create(message));
        format.Write(viaFormat, factory.Create(message));

        Assert.That(Encoding.UTF8.GetString(viaFormat.WrittenSpan), Is.EqualTo(Encoding.UTF8.GetString(viaWriter.WrittenSpan)));
        Assert.That(viaFormat.WrittenSpan.SequenceEqual(viaWriter.WrittenSpan), Is.True);
    }

    [Test]
    public void Every_single_byte_payload_gives_the_bytes_of_Utf8JsonWriter()
    {
        var factory = new MessageRecordFactory();
        using var format = new JsonRecordFormat();
        for (var value = 0; value < 256; value++)
        {
            var message = Messages.Bytes("sensors/t", [(byte)'a', (byte)value, (byte)'z']);
            var viaWriter = new ArrayBufferWriter<byte>();
            var viaFormat = new ArrayBufferWriter<byte>();
            format.WriteWithJsonWriter(viaWriter, factory.Create(message));
            format.Write(viaFormat, factory.Create(message));
            Assert.That(viaFormat.WrittenSpan.SequenceEqual(viaWriter.WrittenSpan), Is.True, $"byte 0x{value:X2}");
        }
    }

    [Test]
    public void Plain_path_is_taken_for_a_typical_sensor_reading()
    {
        var record = new MessageRecordFactory().Create(Messages.Text("sensors/room1/temperature", "{sensor:t1,value:23.75}", clientId: "sensor-1"));
        Assert.That(record.IsPlainJson, Is.True);
        Assert.That(record.PayloadIsUtf8, Is.True);
    }
}

using System.Buffers;
using System.Text.Json;
using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Sinks;

/// <summary>
/// One record as a compact single-line JSON object (Utf8JsonWriter escapes every control character, so a record
/// never contains a raw line break: crash repair can work line by line):
/// <c>{"timestamp":"2026-11-22T10:15:30.123Z","topic":"sensors/t","payload":"23.7","qos":0,"retain":false,"client_id":"c1","payload_encoding":"utf8"}</c>
/// </summary>
internal sealed class JsonRecordFormat : IDisposable
{
    // Relaxed escaping keeps non-ASCII text readable (é, emoji stay as UTF-8); the file is data, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = RecordText.JsonEncoder,
        Indented = false,
    };

    private readonly Utf8JsonWriter json = new(new ArrayBufferWriter<byte>(1), WriterOptions);

    /// <summary>Appends one record object to <paramref name="output"/>.</summary>
    public void Write(IBufferWriter<byte> output, in MessageRecord record)
    {
        if (record.IsPlainJson)
        {
            PlainJsonRecord.Write(output, record);
        }
        else
        {
            WriteWithJsonWriter(output, record);
        }
    }

    /// <summary>The general path: Utf8JsonWriter escapes what needs it and writes base64. Internal for the tests that compare both paths.</summary>
    internal void WriteWithJsonWriter(IBufferWriter<byte> output, in MessageRecord record)
    {
        var message = record.Message;
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("timestamp"u8, record.TimestampUtf8);
        if (record.Topic.IsUtf8)
        {
            json.WriteString("topic"u8, record.Topic.Utf8);
        }
        else
        {
            json.WriteString("topic"u8, message.Topic);
        }

        if (record.PayloadIsUtf8)
        {
            json.WriteString("payload"u8, message.Payload.Span);
        }
        else
        {
            json.WriteBase64String("payload"u8, message.Payload.Span);
        }

        json.WriteNumber("qos"u8, (int)message.Qos);
        json.WriteBoolean("retain"u8, message.Retain);
        if (message.SourceClientId is { } clientId)
        {
            json.WriteString("client_id"u8, clientId);
        }
        else
        {
            json.WriteNull("client_id"u8);
        }

        json.WriteString("payload_encoding"u8, record.PayloadIsUtf8 ? "utf8"u8 : "base64"u8);
        json.WriteEndObject();
        json.Flush();
    }

    public void Dispose() => json.Dispose();

    /// <summary>True when <paramref name="line"/> is exactly one complete JSON object (a record that was fully written).</summary>
    public static bool IsCompleteObject(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>
/// The reference for the recorder's JSON record: the same record written by System.Text.Json's Utf8JsonWriter with the
/// relaxed encoder (what the recorder wrote before it had its own encoder), property by property.
/// </summary>
internal sealed class Utf8JsonWriterRecord : IDisposable
{
    private readonly Utf8JsonWriter json = new(new ArrayBufferWriter<byte>(1), new JsonWriterOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    });

    public byte[] Write(in MessageRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        var message = record.Message;
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("timestamp"u8, record.TimestampUtf8);
        json.WriteString("topic"u8, message.Topic);
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
        return output.WrittenSpan.ToArray();
    }

    public void Dispose() => json.Dispose();
}

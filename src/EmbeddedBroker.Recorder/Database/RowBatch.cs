using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Database;

/// <summary>
/// The rows of a database output since its last commit, in one reused buffer: each message and delivery receipt
/// encoded as fixed fields and length-prefixed byte strings (UTF-8 text, payloads). The batch holds bytes, not the
/// messages, so messages die young as with the files, and a failed transaction is replayed from it as often as needed.
/// Writing a row allocates nothing (except a JSON writer for a message with MQTT 5 user properties).
/// Not thread-safe: one per output, used by the writer loop.
/// </summary>
internal sealed class RowBatch
{
    public const byte MessageKind = 1;
    public const byte DeliveryKind = 2;

    private const int InitialCapacity = 64 * 1024;
    private const int MaxRetainedCapacity = 32 * 1024 * 1024;

    private static readonly JsonWriterOptions UserPropertiesJson = new() { Encoder = RecordText.JsonEncoder, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> userProperties = new(256);
    private ArrayBufferWriter<byte> buffer = new(InitialCapacity);

    /// <summary>Messages in the batch.</summary>
    public int Messages { get; private set; }

    /// <summary>Delivery receipts in the batch.</summary>
    public int Deliveries { get; private set; }

    public bool IsEmpty => buffer.WrittenCount == 0;

    public int Length => buffer.WrittenCount;

    /// <summary>The encoded rows, to read with <see cref="RowReader"/>.</summary>
    public ReadOnlyMemory<byte> Rows => buffer.WrittenMemory;

    public void AddMessage(in MessageRecord record)
    {
        var message = record.Message;
        var properties = message.Properties;
        WriteByte(MessageKind);
        WriteInt64(message.ReceivedAt.UtcTicks);
        WriteByte((byte)message.Qos);
        WriteByte(message.Retain ? (byte)1 : (byte)0);
        WriteByte((byte)message.Source);
        WriteInt64(properties.PayloadFormatIndicator ?? -1L);
        WriteInt64(properties.MessageExpiryInterval is { } expiry ? expiry : -1L);
        WriteText(record.Topic, message.Topic);
        if (message.SourceClientId is null)
        {
            WriteNull();
        }
        else
        {
            WriteText(record.ClientId, message.SourceClientId);
        }

        WriteBytes(message.Payload.Span);
        WriteString(properties.ContentType);
        WriteString(properties.ResponseTopic);
        if (properties.CorrelationData is { } correlation)
        {
            WriteBytes(correlation.Span);
        }
        else
        {
            WriteNull();
        }

        WriteUserProperties(properties.UserProperties);
        Messages++;
    }

    public void AddDelivery(in DeliveryRecord delivery)
    {
        WriteByte(DeliveryKind);
        WriteInt64(delivery.AcknowledgedAt.UtcTicks);
        WriteInt64(delivery.Message.ReceivedAt.UtcTicks);
        WriteByte((byte)delivery.Qos);
        WriteString(delivery.ConsumerClientId);
        WriteString(delivery.Message.Topic);
        WriteString(delivery.Message.SourceClientId);
        Deliveries++;
    }

    public void Clear()
    {
        if (buffer.Capacity > MaxRetainedCapacity)
        {
            buffer = new ArrayBufferWriter<byte>(InitialCapacity);
        }
        else
        {
            buffer.ResetWrittenCount();
        }

        Messages = 0;
        Deliveries = 0;
    }

    private void WriteByte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private void WriteNull()
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), -1);
        buffer.Advance(4);
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        var span = buffer.GetSpan(4 + bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, bytes.Length);
        bytes.CopyTo(span[4..]);
        buffer.Advance(4 + bytes.Length);
    }

    /// <summary>A field's UTF-8 (computed once per message by the record), or the string transcoded with replacement (lone surrogate).</summary>
    private void WriteText(RecordText.Field field, string text)
    {
        if (field.IsUtf8)
        {
            WriteBytes(field.Utf8);
        }
        else
        {
            WriteString(text);
        }
    }

    private void WriteString(string? text)
    {
        if (text is null)
        {
            WriteNull();
            return;
        }

        var span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        buffer.Advance(4 + length);
    }

    /// <summary>MQTT 5 user properties as a JSON array of [name, value] pairs: order and duplicates kept (MQTT 3.3.2.3.7).</summary>
    private void WriteUserProperties(IReadOnlyList<MqttUserProperty>? properties)
    {
        if (properties is not { Count: > 0 })
        {
            WriteNull();
            return;
        }

        userProperties.ResetWrittenCount();
        using var userPropertiesJson = new Utf8JsonWriter(userProperties, UserPropertiesJson);
        userPropertiesJson.WriteStartArray();
        foreach (var property in properties)
        {
            userPropertiesJson.WriteStartArray();
            userPropertiesJson.WriteStringValue(property.Name);
            userPropertiesJson.WriteStringValue(property.Value);
            userPropertiesJson.WriteEndArray();
        }

        userPropertiesJson.WriteEndArray();
        userPropertiesJson.Flush();
        WriteBytes(userProperties.WrittenSpan);
    }
}

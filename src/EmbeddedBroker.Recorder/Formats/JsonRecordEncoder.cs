using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>
/// One record as a compact single-line JSON object, the record of both JSON formats (array and JSON Lines):
/// <c>{"timestamp":"2026-11-22T10:15:30.123Z","topic":"sensors/t","payload":"23.7","qos":0,"retain":false,"client_id":"c1","payload_encoding":"utf8"}</c>
/// <para>
/// The bytes are those System.Text.Json's Utf8JsonWriter writes with the relaxed encoder (tests compare them per byte
/// value), without its per-property validation: text that needs no escaping (<see cref="MessageRecord.IsPlainJson"/>,
/// the usual sensor reading) is copied as it is, into one span sized for the whole record; a field that needs escaping
/// goes through the same <see cref="RecordText.JsonEncoder"/> the writer uses. It escapes every control character,
/// so a record never contains a raw line break: crash repair can work line by line.
/// </para>
/// </summary>
internal static class JsonRecordEncoder
{
    /// <summary>Longest span asked for at once while escaping (a huge payload is escaped in pieces of this size).</summary>
    private const int MaxEscapeChunk = 1024 * 1024;

    /// <summary>Most bytes the encoder writes for one input byte: "\u00XX" for a one-byte character.</summary>
    private const int MaxEscapedBytesPerByte = 6;

    public static void Write(IBufferWriter<byte> output, in MessageRecord record)
    {
        var message = record.Message;
        var payload = message.Payload.Span;
        var hasClientId = message.SourceClientId is not null;
        ReadOnlySpan<byte> retain = message.Retain ? "true"u8 : "false"u8;
        var encodedPayloadLength = record.PayloadIsUtf8 ? payload.Length : Base64.GetMaxEncodedToUtf8Length(payload.Length);

        // Enough for a plain record (one span, one Advance); a record that needs escaping asks for more as it goes.
        var length = "{\"timestamp\":\""u8.Length + record.TimestampUtf8.Length + "\",\"topic\":\""u8.Length + record.Topic.Utf8.Length
            + "\",\"payload\":\""u8.Length + encodedPayloadLength + "\",\"qos\":"u8.Length + 1 + ",\"retain\":"u8.Length + retain.Length
            + ",\"client_id\":"u8.Length + (hasClientId ? record.ClientId.Utf8.Length + 2 : "null"u8.Length)
            + ",\"payload_encoding\":\"base64\"}"u8.Length;

        var cursor = new Cursor(output, length);
        cursor.Raw("{\"timestamp\":\""u8);
        cursor.Raw(record.TimestampUtf8);
        cursor.Raw("\",\"topic\":\""u8);
        cursor.Text(record.Topic, message.Topic);
        cursor.Raw("\",\"payload\":\""u8);
        if (!record.PayloadIsUtf8)
        {
            cursor.Base64Text(payload);
        }
        else if (record.PayloadIsPlainJson)
        {
            cursor.Raw(payload);
        }
        else
        {
            cursor.Escaped(payload);
        }

        cursor.Raw("\",\"qos\":"u8);
        cursor.Raw(RecordText.Qos(message.Qos));
        cursor.Raw(",\"retain\":"u8);
        cursor.Raw(retain);
        cursor.Raw(",\"client_id\":"u8);
        if (hasClientId)
        {
            cursor.Raw("\""u8);
            cursor.Text(record.ClientId, message.SourceClientId!);
            cursor.Raw("\""u8);
        }
        else
        {
            cursor.Raw("null"u8);
        }

        cursor.Raw(record.PayloadIsUtf8 ? ",\"payload_encoding\":\"utf8\"}"u8 : ",\"payload_encoding\":\"base64\"}"u8);
        cursor.Complete();
    }

    /// <summary>Writes into the output's span, asking for a new one only when a piece does not fit.</summary>
    private ref struct Cursor(IBufferWriter<byte> output, int sizeHint)
    {
        private Span<byte> span = output.GetSpan(sizeHint);
        private int at;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Raw(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(span[at..]);
            at += bytes.Length;
        }

        /// <summary>A string field from its UTF-8 bytes; from the string itself when it is not valid UTF-16 (lone surrogate).</summary>
        public void Text(RecordText.Field field, string text)
        {
            if (field.IsPlainJson)
            {
                Raw(field.Utf8);
            }
            else if (field.IsUtf8)
            {
                Escaped(field.Utf8);
            }
            else
            {
                EscapedUtf16(text);
            }
        }

        /// <summary>Valid UTF-8, escaped as the JSON encoder does (in pieces, so a huge payload needs no 6-fold buffer).</summary>
        public void Escaped(ReadOnlySpan<byte> utf8)
        {
            Ensure(EscapeChunk(utf8.Length));
            while (true)
            {
                var status = RecordText.JsonEncoder.EncodeUtf8(utf8, span[at..], out var consumed, out var written);
                at += written;
                if (status == OperationStatus.Done)
                {
                    return;
                }

                if (status != OperationStatus.DestinationTooSmall)
                {
                    throw new ArgumentException("The record text is not valid UTF-8.", nameof(utf8)); // the record checked it
                }

                utf8 = utf8[consumed..];
                Renew(EscapeChunk(utf8.Length));
            }
        }

        public void Base64Text(ReadOnlySpan<byte> bytes)
        {
            Ensure(Base64.GetMaxEncodedToUtf8Length(bytes.Length));
            Base64.EncodeToUtf8(bytes, span[at..], out _, out var written);
            at += written;
        }

        public readonly void Complete() => output.Advance(at);

        /// <summary>
        /// Text that is not valid UTF-16 (never produced by MQTT's UTF-8 decoding; possible from .NET callers): escaped
        /// as UTF-16 by the encoder, which replaces what it cannot encode, then transcoded, as Utf8JsonWriter does.
        /// Rare, so it may allocate.
        /// </summary>
        private void EscapedUtf16(string text) => Raw(Encoding.UTF8.GetBytes(RecordText.JsonEncoder.Encode(text)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Ensure(int length)
        {
            if (span.Length - at < length)
            {
                Renew(length);
            }
        }

        private void Renew(int length)
        {
            output.Advance(at);
            span = output.GetSpan(length);
            at = 0;
        }

        private static int EscapeChunk(int length) => (int)Math.Min((long)length * MaxEscapedBytesPerByte, MaxEscapeChunk);
    }
}

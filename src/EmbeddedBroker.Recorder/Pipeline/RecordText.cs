using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>UTF-8 text of the record fields, and how JSON treats it.</summary>
internal static class RecordText
{
    /// <summary>
    /// The JSON formats' escaping (relaxed: non-ASCII text stays UTF-8; the files are data, never embedded in HTML).
    /// Shared with the plain-text check so the fast JSON path writes verbatim exactly what this encoder would not change.
    /// </summary>
    public static JavaScriptEncoder JsonEncoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static ReadOnlySpan<byte> Qos(MqttQualityOfService qos) => qos switch
    {
        MqttQualityOfService.AtMostOnce => "0"u8,
        MqttQualityOfService.AtLeastOnce => "1"u8,
        _ => "2"u8,
    };

    /// <summary>
    /// True when <paramref name="utf8"/> is valid UTF-8 that the JSON encoder leaves as is (no quote, backslash or
    /// control character...): the encoder reports invalid UTF-8 as a byte to encode, so this also validates.
    /// </summary>
    public static bool IsPlainJson(ReadOnlySpan<byte> utf8) => JsonEncoder.FindFirstCharacterToEncodeUtf8(utf8) < 0;

    /// <summary>A string field (topic, client id) as UTF-8, or <see cref="IsUtf8"/> false when it cannot be transcoded (lone surrogate).</summary>
    public readonly ref struct Field(ReadOnlySpan<byte> utf8, bool isUtf8, bool isPlainJson)
    {
        public ReadOnlySpan<byte> Utf8 { get; } = utf8;

        public bool IsUtf8 { get; } = isUtf8;

        public bool IsPlainJson { get; } = isUtf8 && isPlainJson;
    }

    /// <summary>
    /// Transcodes strings into a reused buffer, remembering the last string by reference: a publisher's client id is
    /// one string object for the whole connection, so it is converted and checked once, not per message.
    /// Not thread-safe (the writer loop owns it).
    /// </summary>
    public sealed class FieldEncoder
    {
        private byte[] buffer = new byte[256];
        private string? last;
        private int length;
        private bool isUtf8;
        private bool isPlainJson;

        public Field Encode(string? text)
        {
            if (!ReferenceEquals(text, last))
            {
                Transcode(text ?? string.Empty);
                last = text;
            }

            return new Field(buffer.AsSpan(0, length), isUtf8, isPlainJson);
        }

        private void Transcode(string text)
        {
            var needed = text.Length * 3;
            if (needed > buffer.Length)
            {
                buffer = new byte[Math.Max(needed, buffer.Length * 2)];
            }

            // Invalid UTF-16 (never produced by MQTT's UTF-8 decoding) is left to the string overloads of the writers.
            isUtf8 = Utf8.FromUtf16(text, buffer, out _, out length, replaceInvalidSequences: false) == OperationStatus.Done;
            isPlainJson = isUtf8 && IsPlainJson(buffer.AsSpan(0, length));
        }
    }
}

using EmbeddedBroker.Contracts;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// The fields of one recorded line, computed once per message and shared by every format: the UTF-8 check, the
/// timestamp text, the UTF-8 bytes of topic and client id and whether JSON must escape them are not repeated per format.
/// </summary>
/// <remarks>Transient: the spans point into the factory's buffers and are valid until its next Create.</remarks>
internal readonly ref struct MessageRecord
{
    public MessageRecord(MqttApplicationMessage message, ReadOnlySpan<byte> timestampUtf8, bool payloadIsUtf8, RecordText.Field topic,
        RecordText.Field clientId, bool payloadIsPlainJson)
    {
        Message = message;
        TimestampUtf8 = timestampUtf8;
        PayloadIsUtf8 = payloadIsUtf8;
        Topic = topic;
        ClientId = clientId;
        PayloadIsPlainJson = payloadIsPlainJson;
        IsPlainJson = payloadIsPlainJson && topic.IsPlainJson && (message.SourceClientId is null || clientId.IsPlainJson);
    }

    public MqttApplicationMessage Message { get; }

    /// <summary>Received time, ISO 8601 UTC with milliseconds: 2026-11-22T10:15:30.123Z.</summary>
    public ReadOnlySpan<byte> TimestampUtf8 { get; }

    /// <summary>True when the payload is valid UTF-8 and is written as text; otherwise it is written as base64.</summary>
    public bool PayloadIsUtf8 { get; }

    /// <summary>True when the payload is UTF-8 text that JSON writes verbatim (implies <see cref="PayloadIsUtf8"/>).</summary>
    public bool PayloadIsPlainJson { get; }

    /// <summary>The topic as UTF-8 (when <see cref="RecordText.Field.IsUtf8"/>; else write the string).</summary>
    public RecordText.Field Topic { get; }

    /// <summary>The publisher's client id as UTF-8 (empty for messages the broker originates).</summary>
    public RecordText.Field ClientId { get; }

    /// <summary>
    /// True when topic, payload and client id are UTF-8 text that JSON writes verbatim (nothing to escape), i.e. the
    /// JSON record is the raw bytes. That is the common case (sensor readings); otherwise the fields that need it are escaped.
    /// </summary>
    public bool IsPlainJson { get; }

    /// <summary>UTC day of the received timestamp, used by daily rotation.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Message.ReceivedAt.UtcDateTime);
}

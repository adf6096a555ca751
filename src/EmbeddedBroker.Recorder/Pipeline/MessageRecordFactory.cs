using System.Text.Unicode;
using EmbeddedBroker.Contracts;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// Builds <see cref="MessageRecord"/>s on the writer thread, doing once per message what every format needs:
/// the timestamp is formatted as UTF-8 once per millisecond (<see cref="Utf8Timestamp"/>),
/// the payload is checked once (plain JSON text implies valid UTF-8; only other payloads need the UTF-8 validation),
/// topic and client id are transcoded once (the client id once per connection). A record allocates nothing.
/// Not thread-safe (one writer loop).
/// </summary>
internal sealed class MessageRecordFactory
{
    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2026-11-22T10:15:30.123Z (always 24 bytes for years 0001-9999).</summary>
    public const string TimestampFormat = Utf8Timestamp.Format;

    private readonly Utf8Timestamp timestamp = new();
    private readonly RecordText.FieldEncoder topics = new();
    private readonly RecordText.FieldEncoder clientIds = new();

    public MessageRecord Create(MqttApplicationMessage message)
    {
        var payload = message.Payload.Span;
        var payloadIsPlainJson = RecordText.IsPlainJson(payload);
        var isUtf8 = payloadIsPlainJson || Utf8.IsValid(payload);
        return new MessageRecord(message, timestamp.Of(message.ReceivedAt.UtcTicks), isUtf8,
            topics.Encode(message.Topic), clientIds.Encode(message.SourceClientId), payloadIsPlainJson);
    }
}

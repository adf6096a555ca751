using EmbeddedBroker.Broker;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// The fields of one recorded line, computed once per message and shared by every sink
/// (the UTF-8 check and the timestamp text are not repeated per format).
/// </summary>
/// <remarks>Transient: <see cref="TimestampUtf8"/> points into the factory's buffer and is valid until its next Create.</remarks>
internal readonly struct MessageRecord(MqttApplicationMessage message, ReadOnlyMemory<byte> timestampUtf8, bool payloadIsUtf8)
{
    public MqttApplicationMessage Message { get; } = message;

    /// <summary>Received time, ISO 8601 UTC with milliseconds: 2026-11-22T10:15:30.123Z.</summary>
    public ReadOnlyMemory<byte> TimestampUtf8 { get; } = timestampUtf8;

    /// <summary>True when the payload is valid UTF-8 and is written as text; otherwise it is written as base64.</summary>
    public bool PayloadIsUtf8 { get; } = payloadIsUtf8;

    /// <summary>UTC day of the received timestamp, used by daily rotation.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Message.ReceivedAt.UtcDateTime);
}

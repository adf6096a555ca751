using System.Globalization;
using System.Text.Unicode;
using EmbeddedBroker.Broker;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// Builds <see cref="MessageRecord"/>s on the writer thread. The timestamp is formatted as UTF-8 once per
/// millisecond into a reused buffer (under load many messages share one), so a record allocates nothing.
/// Not thread-safe (one writer loop).
/// </summary>
internal sealed class MessageRecordFactory
{
    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2026-11-22T10:15:30.123Z (always 24 bytes for years 0001-9999).</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly byte[] timestamp = new byte[32];
    private long cachedMillisecond = long.MinValue;
    private int timestampLength;

    public MessageRecord Create(MqttApplicationMessage message)
    {
        var isUtf8 = Utf8.IsValid(message.Payload.Span);
        return new MessageRecord(message, FormatTimestamp(message.ReceivedAt), isUtf8);
    }

    private ReadOnlyMemory<byte> FormatTimestamp(DateTimeOffset receivedAt)
    {
        var utcTicks = receivedAt.UtcTicks;
        var millisecond = utcTicks / TimeSpan.TicksPerMillisecond;
        if (millisecond != cachedMillisecond)
        {
            new DateTime(utcTicks, DateTimeKind.Utc).TryFormat(timestamp, out timestampLength, TimestampFormat, CultureInfo.InvariantCulture);
            cachedMillisecond = millisecond;
        }

        return timestamp.AsMemory(0, timestampLength);
    }
}

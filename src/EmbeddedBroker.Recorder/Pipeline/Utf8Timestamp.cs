using System.Globalization;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// The recorder's timestamp text, ISO 8601 UTC with milliseconds (2026-11-22T10:15:30.123Z, always 24 bytes for years
/// 0001-9999, so it sorts as it reads), formatted as UTF-8 into a reused buffer once per millisecond: under load many
/// records share one. Not thread-safe.
/// </summary>
internal sealed class Utf8Timestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly byte[] text = new byte[32];
    private long cachedMillisecond = long.MinValue;
    private int length;

    /// <summary>The text of <paramref name="utcTicks"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Of(long utcTicks)
    {
        var millisecond = utcTicks / TimeSpan.TicksPerMillisecond;
        if (millisecond != cachedMillisecond)
        {
            new DateTime(utcTicks, DateTimeKind.Utc).TryFormat(text, out length, Format, CultureInfo.InvariantCulture);
            cachedMillisecond = millisecond;
        }

        return text.AsSpan(0, length);
    }

    /// <summary>The same text as a string (queries, rare).</summary>
    public static string ToText(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using EmbeddedBroker.Broker;

namespace EmbeddedBroker.LiveConsole;

/// <summary>The text of each console line. Pure, so the layout is tested without a terminal.</summary>
public static class ConsoleLineFormatter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>"14:03:07  sensors/temperature  q0  simulator  23.7"</summary>
    public static string Message(MqttApplicationMessage message, int previewLength)
    {
        var time = message.ReceivedAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var retain = message.Retain ? " r" : "";
        return $"{time}  {message.Topic}  q{(int)message.Qos}{retain}  {message.SourceClientId ?? "-"}  {PayloadPreview(message.Payload.Span, previewLength)}";
    }

    /// <summary>Printable text of the payload, cut at <paramref name="maxLength"/> with '…'; binary payloads as a size and hex prefix.</summary>
    public static string PayloadPreview(ReadOnlySpan<byte> payload, int maxLength)
    {
        if (payload.IsEmpty)
        {
            return "(empty)";
        }

        string text;
        try
        {
            // Decode only what can be shown (4 bytes per char at most) so a 1 MB payload costs nothing here.
            var slice = payload[..Math.Min(payload.Length, (maxLength * 4) + 4)];
            text = StrictUtf8.GetString(slice.Length < payload.Length ? TrimIncompleteUtf8(slice) : slice);
        }
        catch (DecoderFallbackException)
        {
            return $"<binary {payload.Length} B: {Convert.ToHexStringLower(payload[..Math.Min(payload.Length, 8)])}{(payload.Length > 8 ? "…" : "")}>";
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                return builder.ToString();
            }

            builder.Append(char.IsControl(c) ? ' ' : c); // newlines or escapes in a payload must not break the layout
        }

        if (text.Length < payload.Length && builder.Length >= maxLength)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    /// <summary>"… 12,345 more messages (4,100 msg/s)"</summary>
    public static string Summary(long notShown, double messagesPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"… {notShown:N0} more message{(notShown == 1 ? "" : "s")} ({messagesPerSecond:N0} msg/s)");

    /// <summary>"── clients 3 · 12 msg/s · recorded 1,234 · dropped 0"</summary>
    public static string Status(string connection, double messagesPerSecond, long recorded, long dropped) =>
        string.Create(CultureInfo.InvariantCulture, $"── {connection} · {messagesPerSecond:N0} msg/s · recorded {recorded:N0} · dropped {dropped:N0}");

    private static ReadOnlySpan<byte> TrimIncompleteUtf8(ReadOnlySpan<byte> slice)
    {
        // Step back over a multi-byte sequence cut by the slice end (continuation bytes are 10xxxxxx).
        var end = slice.Length;
        var back = 0;
        while (end > 0 && back < 3 && (slice[end - 1] & 0xC0) == 0x80)
        {
            end--;
            back++;
        }

        if (end > 0 && slice[end - 1] >= 0xC0)
        {
            end--;
        }

        return slice[..end];
    }
}

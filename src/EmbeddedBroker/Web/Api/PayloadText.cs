using System.Text;
using System.Text.Unicode;

namespace EmbeddedBroker.Web.Api;

/// <summary>
/// A payload (or its preview) as JSON carries it: UTF-8 text when it is text, else base64. A preview cut inside a
/// character is shortened to the last whole one first, so a long text payload still previews as text.
/// </summary>
internal static class PayloadText
{
    public static (string Text, string Encoding) Of(ReadOnlySpan<byte> payload, bool isCut)
    {
        if (Utf8.IsValid(payload))
        {
            return (Encoding.UTF8.GetString(payload), "utf8");
        }

        if (isCut)
        {
            for (var drop = 1; drop <= 3 && drop < payload.Length; drop++)
            {
                if (Utf8.IsValid(payload[..^drop]))
                {
                    return (Encoding.UTF8.GetString(payload[..^drop]), "utf8");
                }
            }
        }

        return (Convert.ToBase64String(payload), "base64");
    }

    /// <summary>About how many bytes an entry with this payload adds to a JSON answer (escapes and base64 included).</summary>
    public static int JsonSize(string text, string topic) => (text.Length * 2) + (topic.Length * 2) + 300;
}

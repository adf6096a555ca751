using System.Buffers;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Client-supplied text (client ids, user names, topics) reaches the log as property values, and a line feed in a user
/// name would start a line of the client's choosing in a text log (found by the fuzzer). Control characters in string
/// values (C0, DEL, C1, U+2028/U+2029) are written as \n, \r, \t or \uXXXX instead. Events without such a character,
/// nearly all of them, are left as they are after one vectorised scan per string.
/// </summary>
internal sealed class ControlCharacterEscaping : ILogEventEnricher
{
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Append(0x7F).Concat(Enumerable.Range(0x80, 0x20)).Append(0x2028).Append(0x2029).Select(c => (char)c)));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && text.AsSpan().ContainsAny(Controls))
            {
                (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(Escape(text))));
            }
        }

        foreach (var property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ when Controls.Contains(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}

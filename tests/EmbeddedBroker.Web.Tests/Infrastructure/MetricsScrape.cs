using System.Globalization;
using System.Text.RegularExpressions;

namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>Reads one counter from the broker's /metrics (Prometheus text format), as a scraper would.</summary>
internal static class MetricsScrape
{
    /// <summary>The value of <paramref name="name"/> (e.g. embeddedbroker_websocket_messages_refused_total), labels ignored;
    /// fails the test when it is not exported.</summary>
    public static async Task<long> CounterAsync(WebBroker broker, string name)
    {
        var metrics = await broker.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = Regex.Match(metrics, $@"^{Regex.Escape(name)}(?:\{{[^}}]*\}})? (\d+)", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        Assert.That(match.Success, Is.True, $"{name} is exported");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

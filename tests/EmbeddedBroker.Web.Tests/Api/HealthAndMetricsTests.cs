using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Api;

/// <summary>GET /healthz and GET /metrics (Prometheus text exposition format 0.0.4, by OpenTelemetry's exporter).</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed partial class HealthAndMetricsTests
{
    private WebBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await WebBroker.StartAsync();

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Healthz_is_200_Healthy_with_broker_and_recorder_checks()
    {
        using var response = await broker.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        var checks = body.RootElement.GetProperty("checks");
        Assert.That(checks.GetProperty("broker").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(checks.GetProperty("recorder").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Metrics_are_prometheus_text_with_help_type_and_live_values()
    {
        await using var client = await broker.ConnectTcpClientAsync("metrics");
        await client.PublishAsync("m/one", Encoding.UTF8.GetBytes("1"), MqttQualityOfService.AtLeastOnce);

        using var response = await broker.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain").And.Contain("version=0.0.4"));
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.That(line, Does.Match(@"^# (HELP|TYPE) [a-z0-9_]+ .+$"), "comment line");
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.That(match.Success, Is.True, $"not a sample line: {line}");
            // OpenTelemetry's exporter labels every sample with its meter (otel_scope_name): the key keeps the reason label only.
            var reason = ReasonLabel().Match(match.Groups["labels"].Value);
            var key = match.Groups["name"].Value + (reason.Success ? $"{{reason=\"{reason.Groups[1].Value}\"}}" : "");
            samples[key] = double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Multiple(() =>
        {
            Assert.That(samples["embeddedbroker_connections"], Is.EqualTo(1));
            Assert.That(samples["embeddedbroker_messages_received_total"], Is.GreaterThanOrEqualTo(1));
            Assert.That(text, Does.Match(@"embeddedbroker_io_bytes_total\{[^}]*direction=""receive""\} [1-9]"));
            Assert.That(samples, Does.ContainKey("embeddedbroker_messages_dropped_total{reason=\"queue_full\"}"));
            Assert.That(samples, Does.ContainKey("embeddedbroker_recorder_queue_depth"));
            Assert.That(samples, Does.ContainKey("embeddedbroker_recorder_dropped_total"));
            Assert.That(text, Does.Contain("# TYPE embeddedbroker_messages_received_total counter"));
            Assert.That(text, Does.Contain("# TYPE embeddedbroker_connections gauge"));
        });
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9_]+)(\{(?<labels>[^}]*)\})? (?<value>-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\+Inf|NaN)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"reason=""([a-z_]+)""")]
    private static partial Regex ReasonLabel();
}

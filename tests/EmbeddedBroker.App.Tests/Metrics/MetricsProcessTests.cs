using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace EmbeddedBroker.App.Tests.Metrics;

/// <summary>/metrics as Prometheus scrapes it: valid for Prometheus's own linter (Debian's promtool), live values, runtime and process metrics, HEAD allowed.</summary>
public partial class MetricsProcessTests
{
    private const string Promtool = "/usr/bin/promtool";

    [Test]
    [CancelAfter(60_000)]
    public async Task Metrics_pass_promtool_check_and_carry_broker_recorder_runtime_and_process_metrics(CancellationToken cancellationToken)
    {
        Assert.That(File.Exists(Promtool), Is.True, "promtool (Debian package prometheus) is missing: scripts/test.sh installs it");
        using var exports = new TempFolder();
        var webPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        using var app = await AppProcess.StartAsync(RecorderOutput.In(exports),
            "--Listeners:WebSocket:Enabled", "true", "--Listeners:WebSocket:Address", "127.0.0.1", "--ws-port", webPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
        await MosquittoClients.PublishTextAsync(app.Port, "sensors/temperature", "21.5");
        await RecordedFiles.WaitForTextAsync(RecorderOutput.In(exports).Csv, "21.5", TimeSpan.FromSeconds(10));

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"), cancellationToken);
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var metricsFile = exports.Combine("metrics.txt");
        await File.WriteAllTextAsync(metricsFile, text, cancellationToken);
        var (code, output, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "bash", "-c", $"{Promtool} check metrics < '{metricsFile}'");

        Assert.Multiple(() =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK), "HEAD /metrics");
            Assert.That(code, Is.EqualTo(0), $"promtool check metrics: {output}{error}");
            Assert.That(Sample(text, "embeddedbroker_messages_received_total"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sample(text, "embeddedbroker_recorder_recorded_total"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sample(text, "embeddedbroker_recorder_failing"), Is.EqualTo(0));
            Assert.That(text, Does.Contain("# TYPE embeddedbroker_connections gauge"));
            Assert.That(text, Does.Contain("embeddedbroker_messages_dropped_total{otel_scope_name=\"EmbeddedBroker.Broker\",reason=\"queue_full\"}"));
            Assert.That(text, Does.Contain("# TYPE embeddedbroker_recorder_backlog histogram"), "queue depth histogram");
            Assert.That(text, Does.Contain("# TYPE dotnet_gc_collections_total counter"), "runtime metrics");
            Assert.That(text, Does.Contain("# TYPE dotnet_process_cpu_time_seconds_total counter"), "process metrics");
            Assert.That(text, Does.Contain("# TYPE dotnet_process_memory_working_set_bytes gauge"), "process metrics");
            Assert.That(text, Does.Contain("# TYPE kestrel_active_connections gauge"), "Kestrel's connection metrics");
        });
        Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));
    }

    /// <summary>The value of the first sample of <paramref name="name"/>, whatever its labels.</summary>
    private static double Sample(string text, string name)
    {
        var match = Regex.Match(text, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})? (?<value>\S+)", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"{name} is exported");
        return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
    }
}

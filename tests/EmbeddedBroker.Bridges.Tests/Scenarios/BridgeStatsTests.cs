using System.Text.Json;
using EmbeddedBroker.Bridges.Tests.Support;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Scenarios;

/// <summary>A bridge's state, queue depth, sent, acknowledged and reconnects, as /api/stats, /metrics and $SYS show
/// them, after messages went out over it to Debian's mosquitto.</summary>
[NonParallelizable]
public sealed class BridgeStatsTests
{
    private const int Count = 5;

    [Test]
    [CancelAfter(60_000)]
    public async Task Api_stats_metrics_and_sys_topics_show_each_bridge_state_queue_and_counters(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-stats-");
        using var remote = await MosquittoBroker.StartAsync();
        var httpPort = FreePort.Next();
        using var app = await BridgedApp.StartAsync(folder, [BridgeJson.To(remote.Port, "site", "o/# out 1")],
            "--Listeners:WebSocket:Enabled", "true", "--Listeners:WebSocket:Address", "127.0.0.1", "--ws-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Broker:SysInterval", "00:00:01");
        await app.WaitForLogAsync("Bridge site: connected", TimeSpan.FromSeconds(20));
        await using (var publisher = await MqttClient.ConnectAsync(new MqttClientOptions { Port = app.Port, ClientId = "stats-publisher" }, cancellationToken))
        {
            for (var i = 0; i < Count; i++)
            {
                await publisher.PublishAsync("o/x", "m"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
            }
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        JsonElement bridge = default;
        await Eventually.HoldsAsync(async () =>
        {
            using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/stats", UriKind.Relative), cancellationToken));
            bridge = stats.RootElement.GetProperty("bridges")[0].Clone();
            return bridge.GetProperty("acknowledged").GetInt64() == Count;
        }, () => $"/api/stats counts the acknowledgements: {bridge}", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Assert.Multiple(() =>
        {
            Assert.That(bridge.GetProperty("name").GetString(), Is.EqualTo("site"));
            Assert.That(bridge.GetProperty("state").GetString(), Is.EqualTo("connected"));
            Assert.That(bridge.GetProperty("queueMessages").GetInt32(), Is.Zero);
            Assert.That(bridge.GetProperty("sent").GetInt64(), Is.EqualTo(Count));
            Assert.That(bridge.GetProperty("reconnects").GetInt64(), Is.Zero);
        });

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        await TestContext.Out.WriteLineAsync(string.Join('\n', metrics.Split('\n').Where(l => l.Contains("bridge", StringComparison.Ordinal))));
        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Match(@"embeddedbroker_bridge_connected\{[^}]*bridge=""site""\} 1"));
            Assert.That(metrics, Does.Match(@"embeddedbroker_bridge_messages_acknowledged_total\{[^}]*bridge=""site""\} 5"));
            Assert.That(metrics, Does.Match(@"embeddedbroker_bridge_queue_messages\{[^}]*bridge=""site""\} 0"));
            Assert.That(metrics, Does.Match(@"embeddedbroker_bridge_reconnects_total\{[^}]*bridge=""site""\} 0"));
        });

        var sys = await SysTopics.ReadAsync(app.Port, "$SYS/broker/bridges/site/#", TimeSpan.FromSeconds(2.5));
        Assert.Multiple(() =>
        {
            Assert.That(sys.GetValueOrDefault("$SYS/broker/bridges/site/state"), Is.EqualTo("connected"), SysTopics.Describe(sys));
            Assert.That(sys.GetValueOrDefault("$SYS/broker/bridges/site/messages/acknowledged"), Is.EqualTo("5"));
            Assert.That(sys.GetValueOrDefault("$SYS/broker/bridges/site/queue/messages"), Is.EqualTo("0"));
        });
    }
}

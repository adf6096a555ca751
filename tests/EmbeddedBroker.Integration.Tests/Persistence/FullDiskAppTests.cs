using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace EmbeddedBroker.Integration.Tests.Persistence;

/// <summary>
/// The app with its state store on a small tmpfs that fills up: the failure is reported (/api/stats, /metrics),
/// counted, the broker keeps serving its clients, and once space returns the store catches up so the retained
/// messages published while the disk was full survive a restart.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class FullDiskAppTests
{
    [Test]
    public async Task A_full_disk_under_the_store_is_reported_and_counted_the_broker_serves_and_the_store_catches_up_when_space_returns()
    {
        using var disk = SmallTmpfs.MountOrIgnore("1M");
        using var folder = new TempFolder("eb-fulldisk-app-");
        var webPort = FreePort.Next();
        var store = Path.Combine(disk.Directory, "broker.db");
        string[] arguments =
        [
            "--Persistence:Path", store, "--Persistence:FlushInterval", "00:00:00.200", "--Persistence:RetryMaxDelay", "00:00:00.500",
            "--Listeners:WebSocket:Enabled", "true", "--Listeners:WebSocket:Address", "127.0.0.1", "--ws-port", webPort.ToString(CultureInfo.InvariantCulture),
        ];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
        var output = RecorderOutput.In(folder);
        int port;
        using (var app = await AppProcess.StartAsync(output, arguments))
        {
            port = app.Port;
            // 300 retained messages of 8 KB (2.4 MB) cannot fit in what is left of 1 MB.
            await PublishRetainedAsync(app.Port, "full/", 300);
            await Eventually.HoldsAsync(async () => (await StoreAsync(http)).GetProperty("writeErrors").GetInt64() > 0,
                () => "the store reports failed writes " + app.Process.Describe(), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));

            var whileFull = await StoreAsync(http);
            TestContext.Out.WriteLine($"while full: {whileFull}");
            Assert.Multiple(() =>
            {
                Assert.That(whileFull.GetProperty("lastError").GetString(), Does.Contain("full").IgnoreCase);
                Assert.That(whileFull.GetProperty("pendingChanges").GetInt64(), Is.GreaterThan(0), "the changes wait, bounded, instead of being lost");
            });
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.That(metrics, Does.Contain("embeddedbroker_store_write_errors").And.Contain("embeddedbroker_store_pending_changes"));

            // The broker serves while the disk is full: a message goes from a publisher to a subscriber.
            using var subscriber = MosquittoClients.StartSubscriber(app.Port, "-t", "live/#", "-C", "1", "-q", "1");
            await Task.Delay(500);
            Assert.That((await MosquittoClients.PublishAsync(app.Port, "-t", "live/x", "-m", "still serving", "-q", "1")).ExitCode, Is.Zero);
            Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.Zero);
            Assert.That(subscriber.StandardOutput, Does.Contain("still serving"));

            disk.Grow("64M");
            await Eventually.HoldsAsync(async () => (await StoreAsync(http)).GetProperty("pendingChanges").GetInt64() == 0,
                () => "the store catches up once space returns " + app.Process.Describe(), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
            var after = await StoreAsync(http);
            Assert.That(after.GetProperty("droppedChanges").GetInt64(), Is.Zero, "nothing was lost");
            Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(15)), Is.Zero);
            Assert.That(ErrorLines(app.Process.StandardOutput), Is.LessThanOrEqualTo(5), "reported once, then a summary per interval");
        }

        using var restarted = await AppProcess.StartOnAsync(port, output, arguments);
        var retained = await MosquittoClients.SubscribeAsync(restarted.Port, "-t", "full/#", "-C", "300", "-W", "20", "-F", "%t");
        Assert.That(retained.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count(), Is.EqualTo(300),
            "every retained message published while the disk was full is back after the restart");
    }

    /// <summary>One mosquitto_pub per topic (retained messages on one topic replace each other), 50 at a time.</summary>
    private static async Task PublishRetainedAsync(int port, string prefix, int count)
    {
        var payload = new string('x', 8 * 1024);
        for (var i = 0; i < count; i += 50)
        {
            var published = await Task.WhenAll(Enumerable.Range(i, Math.Min(50, count - i)).Select(n =>
                MosquittoClients.PublishAsync(port, "-t", prefix + n.ToString(CultureInfo.InvariantCulture), "-m", payload, "-r", "-q", "1")));
            Assert.That(published.Select(p => p.ExitCode), Is.All.Zero, "the broker acknowledges while the disk is full");
        }
    }

    private static async Task<JsonElement> StoreAsync(HttpClient http)
    {
        var stats = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/stats", UriKind.Relative));
        return stats.GetProperty("store");
    }

    private static int ErrorLines(string log) => log.Split('\n').Count(line => line.Contains(" ERR]", StringComparison.Ordinal));
}

using System.Text.Json.Nodes;
using EmbeddedBroker.Bridges.Tests.Support;

namespace EmbeddedBroker.Bridges.Tests.Scenarios;

/// <summary>
/// The issue's "done when": Debian's mosquitto as the remote broker (persistence on), 10,000 QoS 1 messages out and
/// 10,000 in while the remote is killed (kill -9) and restarted twice and EmbeddedBroker is killed and restarted once.
/// Every message arrives: out at a subscriber of the remote, in at EmbeddedBroker's recorder (at-least-once
/// recording, so the bridge acknowledges a message to the remote only once it is recorded and stored). Duplicates are
/// counted and stay within the in-flight windows of each outage.
/// </summary>
[NonParallelizable]
public sealed class OutageScenarioTests
{
    private const int Count = 10_000;
    private const int PublisherWindow = 50;
    private const int BridgeWindow = 20;

    [Test]
    [CancelAfter(180_000)]
    public async Task Ten_thousand_qos1_each_way_survive_two_remote_kills_and_a_local_kill_MQTT_4_3_2(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-outage-");
        using var remote = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            ConfigLines =
            [
                "persistence true",
                $"persistence_location {PersistenceFolder(folder)}/",
                // Mosquitto's defaults (1,000 queued, 20 in flight) drop messages for a session that is away; a remote
                // for a bridge must queue what the bridge has not taken yet.
                "max_queued_messages 0",
                "max_inflight_messages 0",
                $"log_dest file {PersistenceFolder(folder)}/mosquitto.log",
                "log_type all",
            ],
        });
        using var app = await BridgedApp.StartAsync(folder,
            [BridgeJson.To(remote.Port, "site", "o/# out 1", "i/# in 1").With("MaxInflight", BridgeWindow)],
            "--Persistence:DurableAcknowledgements", "true", "--Recorder:AckAfterRecorded", "true");
        await app.WaitForLogAsync("Bridge site: connected", TimeSpan.FromSeconds(20));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var outCollector = new ResilientCollector(remote.Port, "remote-collector", "o/#");
        var inCollector = new ResilientCollector(app.Port, "local-collector", "i/#");
        var collecting = new[] { await outCollector.StartAsync(stop.Token), await inCollector.StartAsync(stop.Token) };

        // A graceful restart saves mosquitto's sessions (the collector's, the bridge's) so that a kill -9 later
        // restores them: Mosquitto 2.0 writes its database only at autosave and at shutdown.
        remote.Stop();
        await remote.StartAgainAsync();
        await Eventually.HoldsAsync(() => app.CountInLog("Bridge site: connected") >= 2, "the bridge is back after the graceful restart", 20_000);

        var outPublisher = new ResilientPublisher(app.Port, "local-publisher", "o/x", Count, PublisherWindow, perSecond: 800);
        var inPublisher = new ResilientPublisher(remote.Port, "remote-publisher", "i/x", Count, PublisherWindow, perSecond: 800);
        var publishing = Task.WhenAll(outPublisher.RunAsync(stop.Token), inPublisher.RunAsync(stop.Token));

        for (var outage = 0; outage < 2; outage++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
            remote.Kill();
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
            await remote.StartAgainAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
        await app.KillAndRestartAsync(TimeSpan.FromSeconds(1));

        await publishing.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
        await TestContext.Out.WriteLineAsync($"published: out {outPublisher.Acknowledged}, in {inPublisher.Acknowledged}; app log:\n{app.Log}");
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(outCollector.Unique == Count && Recorded(folder).Unique == Count),
                () => $"every message arrived (out: {outCollector.Unique}, missing {outCollector.Missing(Count)}; in: {Recorded(folder).Unique} recorded)",
                TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        }
        catch (AssertionException)
        {
            await TestContext.Out.WriteLineAsync("bridge: " + SysTopics.Describe(await SysTopics.ReadAsync(app.Port, "$SYS/broker/bridges/#", TimeSpan.FromSeconds(1))));
            File.Copy(Path.Combine(PersistenceFolder(folder), "mosquitto.log"), "/tmp/outage-mosquitto.log", overwrite: true);
            File.Copy(folder.Combine("mqtt_data.csv"), "/tmp/outage-eb.csv", overwrite: true);
            await File.WriteAllTextAsync("/tmp/outage-eb.log", app.Log, CancellationToken.None);
            await TestContext.Out.WriteLineAsync($"collectors: out {outCollector.Connections} connection(s) {collecting[0].Status} {collecting[0].Exception?.InnerException?.Message}; in {inCollector.Connections} {collecting[1].Status} {collecting[1].Exception?.InnerException?.Message}");
            throw;
        }

        await stop.CancelAsync();
        await Task.WhenAll(collecting).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var recorded = Recorded(folder);
        await TestContext.Out.WriteLineAsync(
            $"out: {outCollector.Unique} unique, {outCollector.Duplicates} duplicates (publisher resent {outPublisher.Resent}); " +
            $"in: {recorded.Unique} recorded, {recorded.Duplicates} duplicates (publisher resent {inPublisher.Resent}); " +
            $"a local subscriber got {inCollector.Unique} unique, missing {inCollector.Missing(Count)}");
        // Out: each remote outage can repeat the bridge's window; the local kill repeats the bridge's window and the
        // local publisher's (messages kept in the queue whose PUBACK the kill swallowed).
        Assert.That(outCollector.Duplicates, Is.LessThanOrEqualTo((3 * BridgeWindow) + PublisherWindow), "out duplicates");
        // In: each remote outage can repeat the remote publisher's window; the local kill what the bridge had received
        // and not yet acknowledged (its acknowledgement backlog and receive queue, 2 x 1,024 at most).
        Assert.That(recorded.Duplicates, Is.LessThanOrEqualTo((2 * PublisherWindow) + 2048), "in duplicates");
        Assert.That(app.Log, Does.Contain("Bridge site: connected"), "the restarted app's bridge connected");
    }

    /// <summary>The "in" messages EmbeddedBroker recorded (CSV, flushed every second): distinct numbers and repeats.</summary>
    private static (int Unique, int Duplicates) Recorded(TempFolder folder)
    {
        var csv = RecorderOutput.In(folder).Csv;
        if (!File.Exists(csv))
        {
            return (0, 0);
        }

        var numbers = RecordedFiles.ReadCsv(csv).Where(r => r.Topic == "i/x").Select(r => r.PayloadText).ToList();
        var unique = numbers.Distinct(StringComparer.Ordinal).Count();
        return (unique, numbers.Count - unique);
    }

    /// <summary>Mosquitto drops to its own user before it writes its database: the folder must be writable by it.</summary>
    private static string PersistenceFolder(TempFolder folder)
    {
        var path = folder.Combine("mosquitto-db");
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0x1FF); // rwxrwxrwx
            File.SetUnixFileMode(folder.Path, (UnixFileMode)0x1ED); // rwxr-xr-x
        }

        return path;
    }
}

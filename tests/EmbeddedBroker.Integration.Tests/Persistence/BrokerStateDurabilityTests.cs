using System.Globalization;
using System.Text.Json;

namespace EmbeddedBroker.Integration.Tests.Persistence;

/// <summary>
/// The broker's state survives restarts and crashes (issue: broker state survives restarts), proven with paho clients
/// against the app as a process: retained messages, persistent sessions with their subscriptions and queued QoS 1
/// messages, and an interrupted QoS 2 flow, after kill -9 and after a graceful stop; and the loss window of a kill
/// measured against the flush interval.
/// </summary>
[TestFixture]
[CancelAfter(240_000)]
public sealed class BrokerStateDurabilityTests
{
    private const int Retained = 10_000;
    private const int Sessions = 100;
    private const int Queued = 100;
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Scripts", "paho_durability.py");

    private TempFolder folder = null!;
    private RecorderOutput output = null!;

    [SetUp]
    public void CreateFolder()
    {
        folder = new TempFolder("eb-durability-");
        output = RecorderOutput.In(folder);
    }

    [TearDown]
    public void DeleteFolder() => folder.Dispose();

    [TestCase(true, TestName = "After kill -9 every retained message, session, queued message and the interrupted QoS 2 flow come back")]
    [TestCase(false, TestName = "After a graceful stop every retained message, session, queued message and the interrupted QoS 2 flow come back")]
    public async Task Retained_messages_sessions_queued_messages_and_QoS_2_state_survive_a_restart_MQTT_3_1_2_4_and_4_3_3(bool kill)
    {
        var port = FreePort.Next();
        using (var app = await AppProcess.StartOnAsync(port, output))
        {
            var prepared = await Paho(port, TimeSpan.FromSeconds(120), "prepare", Retained, Sessions, Queued);
            Assert.That(prepared.Output, Does.Contain("prepared"), prepared.Error);
            if (kill)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5)); // one flush interval (1 s) and some: everything is committed
                app.Process.Kill();
            }
            else
            {
                Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(15)), Is.Zero, app.Process.StandardError);
            }
        }

        using var restarted = await AppProcess.StartOnAsync(port, output);
        var verified = await Paho(port, TimeSpan.FromSeconds(120), "verify", Retained, Sessions, Queued);
        Assert.That(verified.ExitCode, Is.Zero, verified.Error);
        using var found = JsonDocument.Parse(verified.Output.Trim());
        var root = found.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("retained").GetInt32(), Is.EqualTo(Retained), "a fresh # subscriber gets every retained message (MQTT-3.3.1-6)");
            Assert.That(root.GetProperty("sessionsPresent").GetInt32(), Is.EqualTo(Sessions), "every session resumes with session present 1 (MQTT-3.2.2-2)");
            Assert.That(root.GetProperty("queuedDelivered").GetInt32(), Is.EqualTo(Sessions * Queued), "and gets its queued QoS 1 messages");
            Assert.That(root.GetProperty("qos2SessionPresent").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("qos2Answer").GetString(), Is.EqualTo("50"), "the re-sent PUBLISH is acknowledged with PUBREC (MQTT-4.3.3-2)");
            Assert.That(root.GetProperty("qos2Completed").GetBoolean(), Is.True, "PUBREL gets PUBCOMP");
            Assert.That(root.GetProperty("qos2Deliveries").GetInt32(), Is.EqualTo(1), "the QoS 2 message is delivered exactly once");
        });
    }

    [Test]
    public async Task A_kill_9_loses_at_most_the_last_flush_interval_of_acknowledged_retained_messages()
    {
        var port = FreePort.Next();
        double lossSeconds;
        string lastAcked;
        using (var app = await AppProcess.StartOnAsync(port, output))
        {
            using var stream = ExternalProcess.Start(ThirdPartyTools.Python, Script, "127.0.0.1", Text(port), "stream", "30");
            await stream.WaitForOutputAsync("acked 1999 ", TimeSpan.FromSeconds(60));
            await Task.Delay(2000);
            app.Process.Kill(); // mid-stream
            await stream.WaitForExitAsync(TimeSpan.FromSeconds(40));
            lastAcked = stream.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("acked ", StringComparison.Ordinal));
        }

        using var restarted = await AppProcess.StartOnAsync(port, output);
        var last = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), ThirdPartyTools.Python, Script, "127.0.0.1", Text(port), "laststream");
        using var found = JsonDocument.Parse(last.Output.Trim());
        var keptAt = found.RootElement.GetProperty("at").GetDouble();
        var ackedAt = double.Parse(lastAcked.Split(' ')[2], CultureInfo.InvariantCulture);
        lossSeconds = Math.Max(0, ackedAt - keptAt);
        TestContext.Out.WriteLine($"last acknowledged before the kill: {lastAcked}; last kept: index {found.RootElement.GetProperty("index")}, " +
            $"{lossSeconds:F3} s of acknowledged messages lost (flush interval 1 s)");
        Assert.That(found.RootElement.GetProperty("index").GetInt32(), Is.GreaterThan(0), "the store kept the stream's older messages");
        Assert.That(lossSeconds, Is.LessThanOrEqualTo(1.0), "at most one flush interval (1 s): commits are scheduled early by their own duration");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static Task<(int ExitCode, string Output, string Error)> Paho(int port, TimeSpan timeout, string mode, params int[] counts) =>
        ExternalProcess.RunAsync(timeout, ThirdPartyTools.Python, [Script, "127.0.0.1", Text(port), mode, .. counts.Select(Text)]);
}

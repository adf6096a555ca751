using System.Globalization;
using System.Text.RegularExpressions;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>`record` against a real Debian mosquitto: what mosquitto_pub sends lands in our files, across a broker restart.</summary>
public class RecordModeProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Record_mode_records_what_mosquitto_pub_sends_and_survives_a_mosquitto_restart()
    {
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var exports = new TempFolder();
        var output = RecorderOutput.In(exports);
        using var app = AppExecutable.Start("record", "--broker", "127.0.0.1", "--port", Port(mosquitto.Port), "--topic", "sensors/#",
            "--format", "both", "--output", output.BasePath, "--Record:MaxReconnectDelaySeconds", "2");
        await WaitForSubscriptionsAsync(app, 1);

        await MosquittoClients.PublishTextAsync(mosquitto.Port, "sensors/temperature", "before-restart");
        await MosquittoClients.PublishTextAsync(mosquitto.Port, "other/topic", "not-subscribed");
        await RecordedFiles.WaitForTextAsync(output.Csv, "before-restart", TimeSpan.FromSeconds(10));

        await mosquitto.RestartAsync();
        await WaitForSubscriptionsAsync(app, 2); // reconnected and subscribed again

        string[] later = ["after-1", "after-2", "after-3"];
        foreach (var payload in later)
        {
            await MosquittoClients.PublishTextAsync(mosquitto.Port, "sensors/humidity", payload);
        }

        await RecordedFiles.WaitForTextAsync(output.Csv, later[^1], TimeSpan.FromSeconds(10));
        app.Terminate();
        Assert.That(await app.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0), app.StandardError);

        var csv = RecordedFiles.ReadCsv(output.Csv);
        var json = RecordedFiles.ReadJsonArray(output.Json).Select(r => r.TopicAndPayload).ToList();
        Assert.That(json, Does.Contain(("sensors/temperature", "before-restart")));
        foreach (var payload in later)
        {
            Assert.That(csv.Select(r => r.TopicAndPayload), Does.Contain(("sensors/humidity", payload)));
            Assert.That(json, Does.Contain(("sensors/humidity", payload)));
        }

        Assert.That(csv.Select(r => r.PayloadText), Does.Not.Contain("not-subscribed"));
        Assert.That(csv.Select(r => r.Topic), Does.Not.Contain("other/topic"));
    }

    [Test]
    public async Task Two_recorders_in_one_share_group_split_the_messages_MQTT_4_8_2()
    {
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var first = new TempFolder();
        using var second = new TempFolder();
        using var a = StartShareGroupRecorder(mosquitto, RecorderOutput.In(first));
        using var b = StartShareGroupRecorder(mosquitto, RecorderOutput.In(second));
        await WaitForSubscriptionsAsync(a, 1);
        await WaitForSubscriptionsAsync(b, 1);
        Assert.That(a.StandardOutput, Does.Contain("$share/recorders/sensors/#").And.Contain("MQTT 5"));

        const int count = 20;
        for (var i = 0; i < count; i++)
        {
            await MosquittoClients.PublishTextAsync(mosquitto.Port, "sensors/load", $"m{i:00}");
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // at least one recorder flush interval
        a.Terminate();
        b.Terminate();
        Assert.That(await a.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));
        Assert.That(await b.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));

        var inFirst = RecordedFiles.ReadCsv(RecorderOutput.In(first).Csv).Select(r => r.PayloadText).ToList();
        var inSecond = RecordedFiles.ReadCsv(RecorderOutput.In(second).Csv).Select(r => r.PayloadText).ToList();
        var sent = Enumerable.Range(0, count).Select(i => $"m{i:00}").ToList();
        Assert.That(sent.Count(inFirst.Contains) + sent.Count(inSecond.Contains), Is.EqualTo(count), "each message recorded exactly once across the group");
        Assert.That(sent.Count(inFirst.Contains), Is.GreaterThan(0));
        Assert.That(sent.Count(inSecond.Contains), Is.GreaterThan(0));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static ExternalProcess StartShareGroupRecorder(MosquittoBroker mosquitto, RecorderOutput output) =>
        AppExecutable.Start("record", "--broker", "127.0.0.1", "--port", Port(mosquitto.Port), "--share", "recorders", "--format", "csv", "--output", output.BasePath);

    private static Task WaitForSubscriptionsAsync(ExternalProcess app, int times) =>
        Eventually.HoldsAsync(
            () =>
            {
                if (app.HasExited)
                {
                    Assert.Fail($"record mode exited before it subscribed ({times}). {app.Describe()}");
                }

                return Task.FromResult(Regex.Count(app.StandardOutput, "Recording .* from 127\\.0\\.0\\.1") >= times);
            },
            () => $"record mode subscribed ({times}). {app.Describe()}",
            StartTimeout,
            TimeSpan.FromMilliseconds(50));
}

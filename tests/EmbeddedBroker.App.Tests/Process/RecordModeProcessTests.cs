using System.Globalization;
using System.Text.RegularExpressions;
using EmbeddedBroker.App.Tests.Infrastructure;

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
        using var app = AppExecutable.Start("record", "--broker", "127.0.0.1", "--port", Port(mosquitto.Port), "--topic", "sensors/#",
            "--format", "both", "--output", exports.OutputBase, "--Record:MaxReconnectDelaySeconds", "2");
        await WaitForSubscriptionsAsync(app, 1);

        await PublishAsync(mosquitto.Port, "sensors/temperature", "before-restart");
        await PublishAsync(mosquitto.Port, "other/topic", "not-subscribed");
        await RecordedFiles.WaitForCsvAsync(exports.Csv, "before-restart", TimeSpan.FromSeconds(10));

        await mosquitto.RestartAsync();
        await WaitForSubscriptionsAsync(app, 2); // reconnected and subscribed again

        string[] later = ["after-1", "after-2", "after-3"];
        foreach (var payload in later)
        {
            await PublishAsync(mosquitto.Port, "sensors/humidity", payload);
        }

        await RecordedFiles.WaitForCsvAsync(exports.Csv, later[^1], TimeSpan.FromSeconds(10));
        app.Terminate();
        Assert.That(await app.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0), app.StandardError);

        var csv = RecordedFiles.ReadCsv(exports.Csv);
        var json = RecordedFiles.ReadJson(exports.Json);
        Assert.That(json, Does.Contain(("sensors/temperature", "before-restart")));
        foreach (var payload in later)
        {
            Assert.That(csv, Does.Contain(payload));
            Assert.That(json, Does.Contain(("sensors/humidity", payload)));
        }

        Assert.That(csv, Does.Not.Contain("not-subscribed"));
    }

    [Test]
    public async Task Two_recorders_in_one_share_group_split_the_messages_MQTT_4_8_2()
    {
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var first = new TempFolder();
        using var second = new TempFolder();
        using var a = AppExecutable.Start("record", "--broker", "127.0.0.1", "--port", Port(mosquitto.Port), "--share", "recorders", "--format", "csv", "--output", first.OutputBase);
        using var b = AppExecutable.Start("record", "--broker", "127.0.0.1", "--port", Port(mosquitto.Port), "--share", "recorders", "--format", "csv", "--output", second.OutputBase);
        await WaitForSubscriptionsAsync(a, 1);
        await WaitForSubscriptionsAsync(b, 1);
        Assert.That(a.StandardOutput, Does.Contain("$share/recorders/sensors/#").And.Contain("MQTT 5"));

        const int count = 20;
        for (var i = 0; i < count; i++)
        {
            await PublishAsync(mosquitto.Port, "sensors/load", $"m{i:00}");
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // at least one recorder flush interval
        a.Terminate();
        b.Terminate();
        Assert.That(await a.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));
        Assert.That(await b.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));

        var inFirst = Enumerable.Range(0, count).Count(i => RecordedFiles.ReadCsv(first.Csv).Contains($"m{i:00}", StringComparison.Ordinal));
        var inSecond = Enumerable.Range(0, count).Count(i => RecordedFiles.ReadCsv(second.Csv).Contains($"m{i:00}", StringComparison.Ordinal));
        Assert.That(inFirst + inSecond, Is.EqualTo(count), "each message recorded exactly once across the group");
        Assert.That(inFirst, Is.GreaterThan(0));
        Assert.That(inSecond, Is.GreaterThan(0));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static Task PublishAsync(int port, string topic, string payload) => ShutdownProcessTests.PublishAsync(port, topic, payload);

    private static async Task WaitForSubscriptionsAsync(ExternalProcess app, int times)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (Regex.Count(app.StandardOutput, "Recording .* from 127\\.0\\.0\\.1") < times)
        {
            if (app.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"record mode did not subscribe ({times}) in time. stdout: {app.StandardOutput} stderr: {app.StandardError}");
            }

            await Task.Delay(50);
        }
    }
}

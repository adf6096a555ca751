using System.Text.Json;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>-v logs packets like mosquitto -v (and nothing more); --log-format json writes one compact JSON event per line.</summary>
public class LoggingProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Verbose_logs_every_packet_in_and_out_with_client_type_qos_and_topic()
    {
        using var exports = new TempFolder();
        using var app = await AppProcess.StartAsync(RecorderOutput.In(exports), "-v");

        await MosquittoClients.PublishAsync(app.Port, "-t", "sensors/door", "-m", "open", "-q", "1", "-i", "door-sensor");
        await app.Process.WaitForOutputAsync("Sending PubAck to door-sensor", Timeout);

        Assert.That(await app.TerminateAsync(Timeout), Is.EqualTo(0));
        var output = app.Process.StandardOutput;
        Assert.That(output, Does.Match(@"Received Publish from door-sensor \(d0, q1, r0, m\d+, 'sensors/door', \.\.\. \(4 bytes\)\)"));
        Assert.That(output, Does.Contain("Received Disconnect from door-sensor"));
        Assert.That(output, Does.Not.Contain(" DBG] Microsoft."), "other categories keep their levels");
    }

    [Test]
    public async Task Without_verbose_no_packet_is_logged()
    {
        using var exports = new TempFolder();
        using var app = await AppProcess.StartAsync(RecorderOutput.In(exports));

        await MosquittoClients.PublishAsync(app.Port, "-t", "sensors/door", "-m", "open", "-q", "1", "-i", "door-sensor");
        await app.Process.WaitForOutputAsync("door-sensor disconnected", Timeout);

        Assert.That(await app.TerminateAsync(Timeout), Is.EqualTo(0));
        Assert.That(app.Process.StandardOutput, Does.Not.Contain("Received Publish"));
    }

    [Test]
    public async Task Json_log_format_writes_one_compact_json_event_per_line()
    {
        using var exports = new TempFolder();
        using var app = await AppProcess.StartAsync(RecorderOutput.In(exports), "--log-format", "json");

        Assert.That(await app.TerminateAsync(Timeout), Is.EqualTo(0));
        var lines = app.Process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line); // throws on a line that is not JSON
            Assert.That(document.RootElement.TryGetProperty("@t", out _), Is.True, line);
            Assert.That(document.RootElement.TryGetProperty("@mt", out _), Is.True, line);
        }

        Assert.That(lines, Has.Some.Contains("\"Protocol\":\"mqtt\""), "structured properties are kept");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>
/// A recorder that cannot write cannot be missed: /healthz answers 503, the healthcheck command (Docker's HEALTHCHECK)
/// fails, and the stop says how many messages were not recorded and exits non-zero. The disk "fills up" by pointing
/// the export files at /dev/full (every write fails with ENOSPC), which works whatever the user, root included.
/// </summary>
public class FailingRecorderProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Full_disk_makes_healthz_503_and_the_healthcheck_fail_and_the_stop_exit_1_with_the_count_of_unrecorded_messages()
    {
        using var exports = new TempFolder();
        var output = RecorderOutput.In(exports);
        File.CreateSymbolicLink(output.Csv, "/dev/full");
        File.CreateSymbolicLink(output.Json, "/dev/full");
        var webPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        using var app = await AppProcess.StartAsync(output,
            "--Listeners:WebSocket:Enabled", "true", "--Listeners:WebSocket:Address", "127.0.0.1", "--ws-port", webPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };

        await MosquittoClients.PublishTextAsync(app.Port, "sensors/temperature", "21.5");
        await MosquittoClients.PublishTextAsync(app.Port, "sensors/humidity", "40");

        string health = "";
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                health = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.ServiceUnavailable;
            },
            () => $"/healthz answers 503 while the files cannot be written; last answer: {health}",
            TimeSpan.FromSeconds(15),
            TimeSpan.FromMilliseconds(200));
        Assert.That(health, Does.Contain("\"recorder\":{\"status\":\"Unhealthy\"").And.Contain("No space left on device"));

        using var probe = AppExecutable.Start("healthcheck", "--port", app.PortText, "--ws-port", webPort, "--Listeners:WebSocket:Address", "127.0.0.1");
        Assert.That(await probe.WaitForExitAsync(Timeout), Is.EqualTo(1), probe.Describe());
        Assert.That(probe.StandardOutput, Does.StartWith("unhealthy").And.Contain("503"));

        var stopwatch = Stopwatch.StartNew();
        var exitCode = await app.TerminateAsync(TimeSpan.FromSeconds(15));
        stopwatch.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), app.Process.Describe());
            Assert.That(app.Process.StandardError, Does.Contain("2 message(s) were not recorded").And.Contain("No space left on device"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "a failing disk gets one more second at the stop, not the whole shutdown timeout");
        });
    }
}

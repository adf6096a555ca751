namespace EmbeddedBroker.App.Tests.Process;

/// <summary>`healthcheck`, the Docker HEALTHCHECK command: 0 when our broker answers CONNECT, 1 otherwise.</summary>
public class HealthCheckProcessTests
{
    [Test]
    public async Task Healthcheck_exits_0_when_the_broker_accepts_a_connection_and_1_when_it_is_gone()
    {
        using var exports = new TempFolder();
        string portText;
        using (var app = await AppProcess.StartAsync(RecorderOutput.In(exports)))
        {
            portText = app.PortText;
            using var healthy = AppExecutable.Start("healthcheck", "--port", portText, "--Listeners:WebSocket:Enabled", "false");
            Assert.That(await healthy.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), healthy.StandardOutput);

            Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));
        }

        using var unhealthy = AppExecutable.Start("healthcheck", "--port", portText, "--Listeners:WebSocket:Enabled", "false");
        Assert.That(await unhealthy.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(1));
        Assert.That(unhealthy.StandardOutput, Does.Contain("unhealthy"));
    }
}

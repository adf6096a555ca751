using System.Globalization;
using EmbeddedBroker.App.Tests.Infrastructure;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>`healthcheck`, the Docker HEALTHCHECK command: 0 when our broker answers CONNECT, 1 otherwise.</summary>
public class HealthCheckProcessTests
{
    [Test]
    public async Task Healthcheck_exits_0_when_the_broker_accepts_a_connection_and_1_when_it_is_gone()
    {
        using var exports = new TempFolder();
        var port = FreePort.Next();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        using (var app = AppExecutable.Start(AppExecutable.BrokerArguments(port, exports.OutputBase)))
        {
            await app.WaitForOutputAsync("Listening for", TimeSpan.FromSeconds(30));

            using var healthy = AppExecutable.Start("healthcheck", "--port", portText);
            Assert.That(await healthy.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), healthy.StandardOutput);

            app.Terminate();
            Assert.That(await app.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0));
        }

        using var unhealthy = AppExecutable.Start("healthcheck", "--port", portText);
        Assert.That(await unhealthy.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(1));
        Assert.That(unhealthy.StandardOutput, Does.Contain("unhealthy"));
    }
}

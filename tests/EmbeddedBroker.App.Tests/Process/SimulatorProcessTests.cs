using EmbeddedBroker.App.Tests.Infrastructure;
using EmbeddedBroker.Simulation;

namespace EmbeddedBroker.App.Tests.Process;

public class SimulatorProcessTests
{
    [Test]
    public async Task Simulate_publishes_every_sensor_within_one_interval_to_subscribers_and_the_recorder()
    {
        using var exports = new TempFolder();
        var port = FreePort.Next();
        const int intervalSeconds = 2;
        using var app = AppExecutable.Start([.. AppExecutable.BrokerArguments(port, exports.OutputBase), "--simulate", "--simulate-interval", $"{intervalSeconds}"]);
        await app.WaitForOutputAsync("Listening for", TimeSpan.FromSeconds(30));

        var sensors = SensorDefinition.Defaults.Select(s => $"sensors/{s.Name}").ToArray();
        // -C: exit after one message per sensor; -W: give up after one interval plus start-up slack.
        using var subscriber = ExternalProcess.Start(ThirdPartyTools.MosquittoSub,
            "-h", "127.0.0.1", "-p", $"{port}", "-t", "sensors/#", "-v", "-C", $"{sensors.Length}", "-W", $"{intervalSeconds + 5}");
        Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), subscriber.StandardError);

        var seen = subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]).ToArray();
        Assert.That(seen, Is.EquivalentTo(sensors), "one message from each sensor within one interval");
        foreach (var line in subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(double.TryParse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture, out _), Is.True, line);
        }

        app.Terminate();
        Assert.That(await app.WaitForExitAsync(TimeSpan.FromSeconds(15)), Is.EqualTo(0));
        var csv = RecordedFiles.ReadCsv(exports.Csv);
        var json = RecordedFiles.ReadJson(exports.Json);
        foreach (var topic in sensors)
        {
            Assert.That(csv, Does.Contain(topic));
            Assert.That(json.Select(r => r.Topic), Does.Contain(topic));
        }

        Assert.That(csv, Does.Contain(SensorSimulator.ClientId), "recorded with the simulator as publisher");
    }
}

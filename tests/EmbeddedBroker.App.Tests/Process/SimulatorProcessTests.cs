using EmbeddedBroker.Simulation;

namespace EmbeddedBroker.App.Tests.Process;

public class SimulatorProcessTests
{
    [Test]
    public async Task Simulate_publishes_every_sensor_within_one_interval_to_subscribers_and_the_recorder()
    {
        using var exports = new TempFolder();
        var output = RecorderOutput.In(exports);
        const int intervalSeconds = 2;
        using var app = await AppProcess.StartAsync(output, "--simulate", "--simulate-interval", $"{intervalSeconds}");

        var sensors = SensorDefinition.Defaults.Select(s => $"sensors/{s.Name}").ToArray();
        // -C: exit after one message per sensor; -W: give up after one interval plus start-up slack.
        using var subscriber = MosquittoClients.StartSubscriber(app.Port, "-t", "sensors/#", "-v", "-C", $"{sensors.Length}", "-W", $"{intervalSeconds + 5}");
        Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), subscriber.StandardError);

        var seen = subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]).ToArray();
        Assert.That(seen, Is.EquivalentTo(sensors), "one message from each sensor within one interval");
        foreach (var line in subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(double.TryParse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture, out _), Is.True, line);
        }

        Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(15)), Is.EqualTo(0));
        var csv = RecordedFiles.ReadCsv(output.Csv);
        var json = RecordedFiles.ReadJsonArray(output.Json);
        foreach (var topic in sensors)
        {
            Assert.That(csv.Select(r => r.Topic), Does.Contain(topic));
            Assert.That(json.Select(r => r.Topic), Does.Contain(topic));
        }

        Assert.That(csv.Select(r => r.ClientId), Does.Contain(SensorSimulator.ClientId), "recorded with the simulator as publisher");
    }
}

using System.Text.Json;
using EmbeddedBroker.Integration.Tests.Infrastructure;

namespace EmbeddedBroker.Integration.Tests.Interop;

/// <summary>python3 paho-mqtt, the library of the users' original recorder script, against the real host.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PahoInteropTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Scripts", "paho_client.py");
    private InProcessBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await InProcessBroker.StartAsync();

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Paho_round_trips_qos_0_1_2_and_receives_each_at_the_published_qos_MQTT_3_8_4_6([Values("31", "311", "5")] string protocol)
    {
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), ThirdPartyTools.Python, Script, broker.Host, Port, "roundtrip", protocol);
        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n{run.Error}");

        var received = JsonSerializer.Deserialize<List<Received>>(run.Output.Trim())!;
        Assert.That(received.Select(m => (m.topic, m.payload, m.qos, m.retain)), Is.EqualTo(new[]
        {
            ("paho/q0", "hello 0", 0, false),
            ("paho/q1", "hello 1", 1, false),
            ("paho/q2", "hello 2", 2, false),
        }));
    }

    [Test]
    public async Task Paho_last_will_is_published_when_the_process_is_killed_MQTT_3_1_2_8()
    {
        using var watcher = MosquittoClients.StartSubscriber(broker.Port, "-i", "watch", "-t", "status/#", "-C", "1", "-v");
        await broker.WaitForSubscriptionAsync("watch", "status/#");

        using (var paho = ExternalProcess.Start(ThirdPartyTools.Python, Script, broker.Host, Port, "will", "311"))
        {
            await paho.WaitForOutputAsync("ready", TimeSpan.FromSeconds(15));
            paho.Kill();
        }

        Assert.That(await watcher.WaitForExitAsync(TimeSpan.FromSeconds(15)), Is.Zero);
        Assert.That(watcher.StandardOutput.Trim(), Is.EqualTo("status/paho gone"));
    }

    private string Port => broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

#pragma warning disable IDE1006, SA1300 // JSON field names of the script's output.
    private sealed record Received(string topic, string payload, int qos, bool retain);
#pragma warning restore IDE1006, SA1300
}

using System.Globalization;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Scenarios;

/// <summary>A mosquitto.conf <c>connection</c> block runs as a bridge: the reader's keys bind to the bridge options
/// and the bridge carries messages both ways to Debian's mosquitto, with the prefixes of its topic lines.</summary>
[NonParallelizable]
public sealed class MosquittoConfBridgeTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_connection_block_of_mosquitto_conf_bridges_both_ways_with_its_prefixes(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-conf-");
        using var remote = await MosquittoBroker.StartAsync();
        var port = FreePort.Next();
        var conf = folder.Combine("site.conf");
        await File.WriteAllLinesAsync(conf,
        [
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "allow_anonymous true",
            "",
            "connection central",
            $"address 127.0.0.1:{remote.Port.ToString(CultureInfo.InvariantCulture)}",
            "remote_clientid site-a",
            "topic sensors/# out 1 \"\" site-a/",
            "topic commands/# in 1 \"\" site-a/",
            "restart_timeout 1",
        ], cancellationToken);
        using var app = await AppProcess.StartOnAsync(port, RecorderOutput.In(folder), "-c", conf);
        await app.Process.WaitForOutputAsync("Bridge central: connected", TimeSpan.FromSeconds(20));

        await using var atRemote = await MqttClient.ConnectAsync(new MqttClientOptions { Port = remote.Port, ClientId = "remote-side" }, cancellationToken);
        await atRemote.SubscribeAsync(("site-a/sensors/#", MqttQualityOfService.AtLeastOnce));
        await using var atSite = await MqttClient.ConnectAsync(new MqttClientOptions { Port = port, ClientId = "site-side" }, cancellationToken);
        await atSite.SubscribeAsync(("commands/#", MqttQualityOfService.AtLeastOnce));
        await Task.Delay(300, cancellationToken);

        await atSite.PublishAsync("sensors/t1", "21.5"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
        await atRemote.PublishAsync("site-a/commands/reboot", "now"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var outgoing = await atRemote.Messages.ReadAsync(timeout.Token);
        var incoming = await atSite.Messages.ReadAsync(timeout.Token);
        Assert.Multiple(() =>
        {
            Assert.That(outgoing.Topic, Is.EqualTo("site-a/sensors/t1"), "out: the remote prefix added");
            Assert.That(incoming.Topic, Is.EqualTo("commands/reboot"), "in: the remote prefix taken off");
        });
    }
}

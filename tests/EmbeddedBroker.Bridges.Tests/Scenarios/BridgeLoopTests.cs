using System.Text;
using System.Text.Json.Nodes;
using EmbeddedBroker.Bridges.Tests.Support;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Scenarios;

/// <summary>
/// Two EmbeddedBrokers bridged both ways on the same topics ("t/# both 1"): a message published on either side arrives
/// once on each side and does not come back (the bridge never sends back what it received itself, and subscribes
/// with No Local on MQTT 5 / the bridge flag on 3.1.1, so the remote does not echo what the bridge published).
/// </summary>
[NonParallelizable]
public sealed class BridgeLoopTests
{
    private const int PerSide = 50;

    [TestCase("3.1.1")]
    [TestCase("5")]
    [CancelAfter(60_000)]
    public async Task Bridged_both_ways_on_the_same_topics_each_message_arrives_once_on_each_side_and_never_loops(string protocol,
        CancellationToken cancellationToken)
    {
        using var remoteFolder = new TempFolder("eb-bridge-loop-remote-");
        using var localFolder = new TempFolder("eb-bridge-loop-local-");
        using var remote = await BridgedApp.StartAsync(remoteFolder, []);
        using var local = await BridgedApp.StartAsync(localFolder,
            [BridgeJson.To(remote.Port, "peer", "t/# both 1").With("ProtocolVersion", protocol)]);
        await local.WaitForLogAsync("Bridge peer: connected", TimeSpan.FromSeconds(20));

        await using var localCounter = await DeliveryCounter.StartAsync(local.Port, "local-counter", "t/#");
        await using var remoteCounter = await DeliveryCounter.StartAsync(remote.Port, "remote-counter", "t/#");
        await Task.Delay(500, cancellationToken); // the bridge's subscription on the remote is in place once connected; the counters' now too

        await PublishAsync(local.Port, "t/from-local", cancellationToken);
        await PublishAsync(remote.Port, "t/from-remote", cancellationToken);

        await Eventually.HoldsAsync(() => Task.FromResult(localCounter.Distinct == 2 * PerSide && remoteCounter.Distinct == 2 * PerSide),
            () => $"every message reached both sides (local {localCounter.Distinct}, remote {remoteCounter.Distinct})",
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        // A loop would keep delivering: count for a few more seconds.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(localCounter.Total, Is.EqualTo(2 * PerSide), "deliveries on the local side: " + string.Join(", ", localCounter.Repeated.Take(5)));
            Assert.That(remoteCounter.Total, Is.EqualTo(2 * PerSide), "deliveries on the remote side: " + string.Join(", ", remoteCounter.Repeated.Take(5)));
        });
    }

    private static async Task PublishAsync(int port, string topic, CancellationToken cancellationToken)
    {
        await using var publisher = await MqttClient.ConnectAsync(new MqttClientOptions { Port = port, ClientId = $"pub-{port}" }, cancellationToken);
        for (var i = 0; i < PerSide; i++)
        {
            await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
        }
    }
}

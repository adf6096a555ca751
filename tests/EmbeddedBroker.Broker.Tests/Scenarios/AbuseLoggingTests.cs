using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>What a client can repeat at will is logged at most once per interval, broker-wide, with a count.</summary>
[CancelAfter(30_000)]
internal sealed class AbuseLoggingTests
{
    [Test]
    public async Task Two_clients_fighting_over_one_client_id_write_a_few_lines_not_one_per_round_MQTT_3_1_4_2()
    {
        var logs = new CollectingLoggerFactory();
        await using var broker = new MqttBroker(new MqttBrokerOptions { EnableSysTopics = false }, loggerFactory: logs);
        var clients = new List<TestClient>();
        try
        {
            for (var round = 0; round < 200; round++)
            {
                var client = new TestClient(broker, MqttProtocolVersion.V311, $"memory:{round}");
                clients.Add(client);
                await client.ConnectOkAsync("contested");
            }

            Assert.That(broker.Statistics.SessionTakeovers, Is.EqualTo(199), "every round took the session over");
            Assert.That(logs.Lines, Has.Count.LessThan(12), string.Join(Environment.NewLine, logs.Lines));
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Test]
    public async Task Malformed_packets_from_many_connections_log_one_line_per_interval()
    {
        var logs = new CollectingLoggerFactory();
        await using var broker = new MqttBroker(new MqttBrokerOptions { EnableSysTopics = false }, loggerFactory: logs);
        for (var i = 0; i < 100; i++)
        {
            await using var client = new TestClient(broker, MqttProtocolVersion.V311, $"memory:{i}");
            await client.SendRawAsync(0x10, 0x02, 0xFF, 0xFF); // a CONNECT whose protocol name length runs past the packet
            await client.WaitForCloseAsync();
        }

        Assert.That(broker.Statistics.MalformedPackets, Is.EqualTo(100));
        Assert.That(logs.Lines.Count(l => l.Contains("malformed", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task With_debug_on_every_packet_in_and_out_is_logged_like_mosquitto_v_and_with_it_off_none_is()
    {
        var logs = new CollectingLoggerFactory();
        await using (var broker = new MqttBroker(new MqttBrokerOptions { EnableSysTopics = false }, loggerFactory: logs))
        {
            await using var client = new TestClient(broker);
            await client.ConnectOkAsync("v");
            await client.SubscribeAsync("t");
            await client.PublishAsync("t", "hello", MqttQualityOfService.AtLeastOnce);
            await client.ReceivePublishAsync();
        }

        var packetLines = logs.Lines.Where(l => l.StartsWith("Debug: Received", StringComparison.Ordinal) || l.StartsWith("Debug: Sending", StringComparison.Ordinal)).ToList();
        Assert.That(packetLines, Has.Some.Contains("Received Publish from v (d0, q1, r0, m").And.Contains("'t', ... (5 bytes))"));
        Assert.That(packetLines, Has.Some.StartsWith("Debug: Sending PubAck to v (m"));
        Assert.That(packetLines, Has.Some.StartsWith("Debug: Received Subscribe from v"));

        var quiet = new CollectingLoggerFactory(minimumLevel: Microsoft.Extensions.Logging.LogLevel.Information);
        await using (var broker = new MqttBroker(new MqttBrokerOptions { EnableSysTopics = false }, loggerFactory: quiet))
        {
            await using var client = new TestClient(broker);
            await client.ConnectOkAsync("v");
            await client.PublishAsync("t", "hello", MqttQualityOfService.AtLeastOnce);
        }

        Assert.That(quiet.Lines, Has.None.Contains("Received Publish"));
    }
}

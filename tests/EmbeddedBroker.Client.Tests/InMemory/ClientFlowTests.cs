using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client.Tests.InMemory;

/// <summary>How the client's parts work together, against a scripted server: the in-flight window, QoS 0
/// backpressure, answers matched to requests, and what a lost connection does to everything still waiting.</summary>
public sealed class ClientFlowTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Qos1_publishes_beyond_the_servers_receive_maximum_wait_and_leave_in_order_MQTT_3_3_4_7()
    {
        var server = new InMemoryServer(MqttProtocolVersion.V500);
        await using var client = await ConnectAsync(server, new MqttProperties { ReceiveMaximum = 2 });

        var publishes = Enumerable.Range(1, 3).Select(i => client.PublishAsync($"t{i}", new byte[] { (byte)i }, MqttQualityOfService.AtLeastOnce)).ToArray();
        var first = (PublishPacket)(await server.ReceiveAsync().WaitAsync(Timeout))!;
        var second = (PublishPacket)(await server.ReceiveAsync().WaitAsync(Timeout))!;
        _ = client.PingAsync(); // queued behind whatever the window let out
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PingReqPacket>(), "the third waits for a free slot");

        await server.SendAsync(new PubAckPacket { PacketId = first.PacketId });
        var third = (PublishPacket)(await server.ReceiveAsync().WaitAsync(Timeout))!;
        await server.SendAsync(new PubAckPacket { PacketId = second.PacketId });
        await server.SendAsync(new PubAckPacket { PacketId = third.PacketId });

        await Task.WhenAll(publishes).WaitAsync(Timeout);
        Assert.That(new[] { first.Topic, second.Topic, third.Topic }, Is.EqualTo(new[] { "t1", "t2", "t3" }), "MQTT-4.6.0-2");
        Assert.That(third.PacketId, Is.Not.EqualTo(second.PacketId), "an identifier in use is not reused (MQTT-2.2.1-3)");
    }

    [Test]
    public async Task Qos0_publish_over_the_outgoing_queue_capacity_waits_until_the_queue_is_written()
    {
        var server = new InMemoryServer();
        var connecting = MqttClient.ConnectAsync(server.ClientTransport, new MqttClientOptions { ClientId = "q", KeepAliveSeconds = 0, OutgoingQueueCapacity = 1 });
        await server.AcceptAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.Success });
        await using var client = await connecting.WaitAsync(Timeout);
        var payload = new byte[100_000]; // over the in-memory pipe's pause threshold: the writer waits while the server does not read

        var publishes = Enumerable.Range(0, 3).Select(_ => client.PublishAsync("big", payload, MqttQualityOfService.AtMostOnce)).ToArray();
        await Task.Delay(200);
        Assert.That(publishes[1].IsCompleted || publishes[2].IsCompleted, Is.False, "over the capacity while nothing is written");

        for (var i = 0; i < 3; i++)
        {
            Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PublishPacket>());
        }

        await Task.WhenAll(publishes).WaitAsync(Timeout);
    }

    [Test]
    public async Task Unsubscribe_in_3_1_1_reports_success_per_filter_as_its_unsuback_has_no_codes_MQTT_3_11_3()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAsync(server);

        var unsubscribing = client.UnsubscribeAsync("a", "b/#");
        var unsubscribe = (UnsubscribePacket)(await server.ReceiveAsync().WaitAsync(Timeout))!;
        await server.SendAsync(new UnsubAckPacket { PacketId = unsubscribe.PacketId });

        Assert.That(await unsubscribing.WaitAsync(Timeout), Is.EqualTo(new[] { MqttReasonCode.Success, MqttReasonCode.Success }));
        Assert.That(unsubscribe.TopicFilters, Is.EqualTo(new[] { "a", "b/#" }));
    }

    [Test]
    public async Task Server_disconnect_ends_the_connection_as_lost_and_fails_what_waits_for_an_answer_MQTT_3_14_4()
    {
        var server = new InMemoryServer(MqttProtocolVersion.V500);
        await using var client = await ConnectAsync(server);
        MqttConnectionLostEventArgs? raised = null;
        client.ConnectionLost += (_, e) => raised = e;

        var subscribing = client.SubscribeAsync(("s", MqttQualityOfService.AtLeastOnce));
        var publishing = client.PublishAsync("p", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce);
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<SubscribePacket>());
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PublishPacket>());
        await server.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown });

        var lost = await client.Closed.WaitAsync(Timeout);
        Assert.That(lost?.ServerDisconnect?.ReasonCode, Is.EqualTo(MqttReasonCode.ServerShuttingDown));
        Assert.That(raised, Is.SameAs(lost), "ConnectionLost is raised with the same reason");
        Assert.That(client.IsConnected, Is.False);
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => subscribing.WaitAsync(Timeout));
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => publishing.WaitAsync(Timeout));
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => client.PublishAsync("late", new byte[] { 2 }, MqttQualityOfService.AtMostOnce));
        await client.Messages.Completion.WaitAsync(Timeout); // Messages completes, without an error
    }

    private static async Task<MqttClient> ConnectAsync(InMemoryServer server, MqttProperties? connAckProperties = null)
    {
        var connecting = MqttClient.ConnectAsync(server.ClientTransport, new MqttClientOptions { ClientId = "f", KeepAliveSeconds = 0, ProtocolVersion = server.Version });
        await server.AcceptAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.Success, Properties = connAckProperties ?? MqttProperties.Empty });
        return await connecting.WaitAsync(Timeout);
    }
}

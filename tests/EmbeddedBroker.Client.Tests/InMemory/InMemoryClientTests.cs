using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client.Tests.InMemory;

public sealed class InMemoryClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Refused_connack_throws_with_its_reason_code_MQTT_3_2_2_6()
    {
        var server = new InMemoryServer(MqttProtocolVersion.V500);
        var connecting = MqttClient.ConnectAsync(server.ClientTransport, new MqttClientOptions { ClientId = "x", ProtocolVersion = MqttProtocolVersion.V500 });

        await server.AcceptAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.NotAuthorized });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => connecting.WaitAsync(Timeout));
        Assert.That(refused!.ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
    }

    [Test]
    public async Task Connect_carries_the_options_MQTT_3_1_2()
    {
        var server = new InMemoryServer(MqttProtocolVersion.V500);
        var options = new MqttClientOptions
        {
            ClientId = "dev-1",
            CleanSession = false,
            KeepAliveSeconds = 30,
            Username = "u",
            Password = "p"u8.ToArray(),
            ProtocolVersion = MqttProtocolVersion.V500,
            SessionExpiryInterval = 300,
            MaximumPacketSize = 4096,
            Will = new MqttWill { Topic = "w", Payload = "bye"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce, Retain = true },
        };
        var connecting = MqttClient.ConnectAsync(server.ClientTransport, options);

        var connect = await server.AcceptAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.Success, SessionPresent = true });
        await using var client = await connecting.WaitAsync(Timeout);

        Assert.That(connect.ProtocolLevel, Is.EqualTo(5));
        Assert.That(connect.ClientId, Is.EqualTo("dev-1"));
        Assert.That(connect.CleanSession, Is.False);
        Assert.That(connect.KeepAliveSeconds, Is.EqualTo(30));
        Assert.That(connect.Username, Is.EqualTo("u"));
        Assert.That(connect.Password!.Value.ToArray(), Is.EqualTo("p"u8.ToArray()));
        Assert.That(connect.Properties.SessionExpiryInterval, Is.EqualTo(300));
        Assert.That(connect.Properties.MaximumPacketSize, Is.EqualTo(4096));
        Assert.That(connect.Will!.Topic, Is.EqualTo("w"));
        Assert.That(client.ConnectResult.SessionPresent, Is.True);
    }

    [Test]
    public async Task Unanswered_ping_ends_the_connection_as_lost_MQTT_3_1_2_24()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAcceptedAsync(server, new MqttClientOptions { ClientId = "x", KeepAliveSeconds = 1 });

        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PingReqPacket>(), "idle for the keep-alive: PINGREQ");
        var lost = await client.Closed.WaitAsync(Timeout);

        Assert.That(lost?.Exception, Is.InstanceOf<TimeoutException>());
        Assert.That(client.IsConnected, Is.False);
    }

    [Test]
    public async Task Qos2_publish_completes_only_after_pubrec_pubrel_pubcomp_MQTT_4_3_3()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAcceptedAsync(server, new MqttClientOptions { ClientId = "x", KeepAliveSeconds = 0 });

        var publishing = client.PublishAsync("a/b", new byte[] { 7 }, MqttQualityOfService.ExactlyOnce);
        var publish = (PublishPacket)(await server.ReceiveAsync())!;
        Assert.That(publish.PacketId, Is.Not.Zero, "MQTT-2.2.1-3");
        await server.SendAsync(new PubRecPacket { PacketId = publish.PacketId });
        var pubRel = (PubRelPacket)(await server.ReceiveAsync())!;
        Assert.That(publishing.IsCompleted, Is.False, "not done before PUBCOMP");
        await server.SendAsync(new PubCompPacket { PacketId = pubRel.PacketId });

        await publishing.WaitAsync(Timeout);
        Assert.That(pubRel.PacketId, Is.EqualTo(publish.PacketId));
    }

    [Test]
    public async Task Received_qos2_is_delivered_once_even_when_resent_before_pubrel_MQTT_4_3_3_10()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAcceptedAsync(server, new MqttClientOptions { ClientId = "x", KeepAliveSeconds = 0 });

        await server.SendAsync(new PublishPacket { Topic = "t", Payload = new byte[] { 1 }, Qos = MqttQualityOfService.ExactlyOnce, PacketId = 9 });
        await server.SendAsync(new PublishPacket { Topic = "t", Payload = new byte[] { 1 }, Qos = MqttQualityOfService.ExactlyOnce, PacketId = 9, Dup = true });
        Assert.That(await server.ReceiveAsync(), Is.InstanceOf<PubRecPacket>().With.Property(nameof(PubRecPacket.PacketId)).EqualTo(9));
        Assert.That(await server.ReceiveAsync(), Is.InstanceOf<PubRecPacket>());
        await server.SendAsync(new PubRelPacket { PacketId = 9 });
        Assert.That(await server.ReceiveAsync(), Is.InstanceOf<PubCompPacket>().With.Property(nameof(PubCompPacket.PacketId)).EqualTo(9));
        await server.SendAsync(new PublishPacket { Topic = "after", Qos = MqttQualityOfService.AtMostOnce });

        Assert.That((await client.Messages.ReadAsync().AsTask().WaitAsync(Timeout)).Topic, Is.EqualTo("t"));
        Assert.That((await client.Messages.ReadAsync().AsTask().WaitAsync(Timeout)).Topic, Is.EqualTo("after"), "the resend was not delivered again");
    }

    /// <summary>A client whose CONNECT <paramref name="server"/> accepted.</summary>
    private static async Task<MqttClient> ConnectAcceptedAsync(InMemoryServer server, MqttClientOptions options)
    {
        var connecting = MqttClient.ConnectAsync(server.ClientTransport, options);
        await server.AcceptAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.Success });
        return await connecting.WaitAsync(Timeout);
    }
}

using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client.Tests.InMemory;

/// <summary>What a bridge needs of the client: acknowledgements it sends itself.</summary>
public sealed class BridgeModeClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Manual_acknowledgement_holds_puback_until_acknowledged_MQTT_4_3_2()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAsync(server, manual: true);

        await server.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.AtLeastOnce, PacketId = 3 });
        var received = await client.Messages.ReadAsync().AsTask().WaitAsync(Timeout);
        _ = client.PingAsync(); // PINGREQ is queued after anything the read loop sent for the PUBLISH
        Assert.That(await server.ReceiveAsync(), Is.InstanceOf<PingReqPacket>(), "no PUBACK before Acknowledge");

        client.Acknowledge(received);

        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PubAckPacket>().With.Property(nameof(PubAckPacket.PacketId)).EqualTo(3));
    }

    [Test]
    public async Task Manual_acknowledgement_holds_pubrec_and_a_resend_is_not_delivered_twice_MQTT_4_3_3_10()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAsync(server, manual: true);

        await server.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 4 });
        var received = await client.Messages.ReadAsync().AsTask().WaitAsync(Timeout);
        _ = client.PingAsync();
        Assert.That(await server.ReceiveAsync(), Is.InstanceOf<PingReqPacket>(), "no PUBREC before Acknowledge");
        client.Acknowledge(received);
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PubRecPacket>().With.Property(nameof(PubRecPacket.PacketId)).EqualTo(4));

        await server.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 4, Dup = true });
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PubRecPacket>(), "the resend is answered");
        await server.SendAsync(new PubRelPacket { PacketId = 4 });
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PubCompPacket>());
        await server.SendAsync(new PublishPacket { Topic = "after", Qos = MqttQualityOfService.AtMostOnce });
        Assert.That((await client.Messages.ReadAsync().AsTask().WaitAsync(Timeout)).Topic, Is.EqualTo("after"), "the resend was not delivered again");
    }

    [Test]
    public async Task Without_manual_acknowledgement_Acknowledge_sends_nothing_more()
    {
        var server = new InMemoryServer();
        await using var client = await ConnectAsync(server, manual: false);

        await server.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.AtLeastOnce, PacketId = 5 });
        var received = await client.Messages.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PubAckPacket>());
        client.Acknowledge(received);
        _ = client.PingAsync();

        Assert.That(await server.ReceiveAsync().WaitAsync(Timeout), Is.InstanceOf<PingReqPacket>(), "no second PUBACK");
    }

    private static async Task<MqttClient> ConnectAsync(InMemoryServer server, bool manual)
    {
        var connecting = MqttClient.ConnectAsync(server.ClientTransport, new MqttClientOptions { ClientId = "b", KeepAliveSeconds = 0, ManualAcknowledgement = manual });
        await server.AcceptAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.Success });
        return await connecting.WaitAsync(Timeout);
    }
}

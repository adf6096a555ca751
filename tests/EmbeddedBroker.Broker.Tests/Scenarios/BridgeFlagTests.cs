using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// Mosquitto's bridge flag (its <c>try_private</c>: bit 7 of the protocol level, 0x83 / 0x84): a 3.1/3.1.1 bridge is
/// accepted, gets no echo of what it published (No Local) and keeps the retain flag (Retain As Published), as
/// Mosquitto treats it, so that two brokers bridged both ways on the same topics do not loop.
/// </summary>
internal sealed class BridgeFlagTests : BrokerScenario
{
    [Test]
    public async Task A_bridge_flagged_client_is_accepted_and_does_not_get_its_own_messages_back()
    {
        var bridge = await ConnectedBridgeAsync("remote-bridge");
        await bridge.SubscribeAsync("t/#", MqttQualityOfService.AtLeastOnce);
        var other = await ConnectedClientAsync("other");

        await bridge.PublishAsync("t/from-bridge", "1", MqttQualityOfService.AtLeastOnce);
        await other.PublishAsync("t/from-other", "2", MqttQualityOfService.AtLeastOnce);

        var received = await bridge.ReceivePublishAsync();
        Assert.That(received.Topic, Is.EqualTo("t/from-other"));
        await bridge.AssertNothingReceivedAsync();
    }

    [Test]
    public async Task A_bridge_flagged_client_gets_the_retain_flag_as_published_unlike_a_client_MQTT_3_3_1_9()
    {
        var bridge = await ConnectedBridgeAsync("remote-bridge");
        await bridge.SubscribeAsync("r/#", MqttQualityOfService.AtLeastOnce);
        var plain = await ConnectedClientAsync("plain");
        await plain.SubscribeAsync("r/#", MqttQualityOfService.AtLeastOnce);
        var publisher = await ConnectedClientAsync("publisher");

        await publisher.PublishAsync("r/state", "on", MqttQualityOfService.AtLeastOnce, retain: true);

        var toBridge = await bridge.ReceivePublishAsync();
        var toPlain = await plain.ReceivePublishAsync();
        Assert.Multiple(() =>
        {
            Assert.That(toBridge.Retain, Is.True, "a bridge keeps the flag, to store it on its side");
            Assert.That(toPlain.Retain, Is.False, "a live message to a 3.1.1 client (MQTT-3.3.1-9)");
        });
    }

    [Test]
    public async Task The_bridge_flag_on_mqtt5_is_refused_as_an_unsupported_level_MQTT_3_1_2_2()
    {
        var client = NewClient();
        // "MQTT", level 0x85 (5 with the flag, which Mosquitto does not accept either), clean, keep-alive 0, id "a".
        await client.SendRawAsync(0x10, 0x0D, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x85, 0x02, 0x00, 0x00, 0x00, 0x01, (byte)'a');

        Assert.That(await client.ReceiveRawAsync(4), Is.EqualTo(new byte[] { 0x20, 0x02, 0x00, 0x01 }));
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    private async Task<TestClient> ConnectedBridgeAsync(string clientId)
    {
        var client = NewClient();
        await client.SendAsync(new ConnectPacket { ProtocolLevel = (byte)MqttProtocolVersion.V311 | ConnectPacket.BridgeFlag, ClientId = clientId });
        Assert.That((await client.ReceiveAsync<ConnAckPacket>()).ReasonCode, Is.EqualTo(MqttReasonCode.Success));
        return client;
    }
}

using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// Packets MQTT 5 calls a Protocol Error, not a Malformed Packet, close with DISCONNECT 0x82 (4.13.1): found by the
/// protocol fuzzer (Fuzz/ProtocolFuzzTests), which expected 0x82 where these statements say so and saw 0x81. 3.1.1
/// clients just lose the connection, without a packet (3.1.1 has no server DISCONNECT).
/// </summary>
internal sealed class ProtocolErrorCodeTests : BrokerScenario
{
    private async Task<List<MqttPacket>> SendAfterConnectAsync(MqttProtocolVersion version, params byte[] bytes)
    {
        var client = NewClient(version);
        await client.ConnectOkAsync("c");
        await client.SendRawAsync(bytes);
        return await client.WaitForCloseAsync();
    }

    private static void AssertDisconnect(List<MqttPacket> packets, MqttReasonCode code)
    {
        Assert.That(packets, Has.Count.EqualTo(1));
        Assert.That(packets[0], Is.InstanceOf<DisconnectPacket>());
        Assert.That(((DisconnectPacket)packets[0]).ReasonCode, Is.EqualTo(code));
    }

    [Test]
    public async Task Subscribe_without_topic_filters_is_a_protocol_error_answered_with_DISCONNECT_0x82_MQTT_3_8_3_2()
    {
        // "A SUBSCRIBE packet with no Payload is a Protocol Error" (5.0 3.8.3): packet id 1, empty properties, nothing else.
        AssertDisconnect(await SendAfterConnectAsync(MqttProtocolVersion.V500, 0x82, 0x03, 0x00, 0x01, 0x00), MqttReasonCode.ProtocolError);
        Assert.That(Broker.Statistics.ProtocolViolations, Is.EqualTo(1));
    }

    [Test]
    public async Task Unsubscribe_without_topic_filters_is_a_protocol_error_answered_with_DISCONNECT_0x82_MQTT_3_10_3_2()
    {
        // "An UNSUBSCRIBE packet with no Payload is a Protocol Error" (5.0 3.10.3).
        AssertDisconnect(await SendAfterConnectAsync(MqttProtocolVersion.V500, 0xA2, 0x03, 0x00, 0x01, 0x00), MqttReasonCode.ProtocolError);
    }

    [Test]
    public async Task Subscribe_with_maximum_QoS_3_is_a_protocol_error_answered_with_DISCONNECT_0x82_MQTT5_3_8_3_1()
    {
        // "It is a Protocol Error if the Maximum QoS field has the value 3" (5.0 3.8.3.1): filter "a", options 0x03.
        AssertDisconnect(await SendAfterConnectAsync(MqttProtocolVersion.V500, 0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, (byte)'a', 0x03), MqttReasonCode.ProtocolError);
    }

    [Test]
    public async Task Publish_with_an_empty_topic_and_no_topic_alias_is_a_protocol_error_answered_with_DISCONNECT_0x82_MQTT5_3_3_2_1()
    {
        // "It is a Protocol Error if the Topic Name is zero length and there is no Topic Alias" (5.0 3.3.2.1).
        AssertDisconnect(await SendAfterConnectAsync(MqttProtocolVersion.V500, 0x30, 0x04, 0x00, 0x00, 0x00, (byte)'x'), MqttReasonCode.ProtocolError);
    }

    [Test]
    public async Task In_MQTT_3_1_1_a_subscribe_without_topic_filters_closes_the_connection_without_a_packet_MQTT_3_8_3_3()
    {
        Assert.That(await SendAfterConnectAsync(MqttProtocolVersion.V311, 0x82, 0x02, 0x00, 0x01), Is.Empty);
        Assert.That(Broker.GetConnectedClients(), Is.Empty);
    }

    [Test]
    public async Task In_MQTT_3_1_1_an_empty_topic_name_is_malformed_and_closes_the_connection_MQTT_4_7_3_1()
    {
        Assert.That(await SendAfterConnectAsync(MqttProtocolVersion.V311, 0x30, 0x03, 0x00, 0x00, (byte)'x'), Is.Empty);
        Assert.That(Broker.Statistics.MalformedPackets, Is.EqualTo(1));
    }
}

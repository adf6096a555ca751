using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// Bad MQTT 5 input (issue 12's list) closes the offending connection with the reason code the spec names, and only
/// that one: a bystander connected next to it keeps its subscription and keeps receiving. The packets are raw bytes
/// so that the broker's decoder, not the test's encoder, judges them.
/// </summary>
internal sealed class BadMqtt5InputIsolationTests : BrokerScenario
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    protected override MqttBrokerOptions Options => base.Options with { Capabilities = new MqttCapabilities { TopicAliasMaximum = 3 } };

    private async Task<TestClient> SubscribedBystanderAsync()
    {
        var bystander = NewClient(V5);
        await bystander.ConnectOkAsync("bystander");
        await bystander.SubscribeAsync("watch", MqttQualityOfService.AtLeastOnce);
        return bystander;
    }

    private async Task AssertBystanderStillServedAsync(TestClient bystander)
    {
        await Broker.PublishAsync(Message("watch", "still here", MqttQualityOfService.AtLeastOnce));
        Assert.That((await bystander.ReceivePublishAsync()).Text(), Is.EqualTo("still here"), "the bystander's connection and subscription survive");
        Assert.That(Broker.GetConnectedClients().Select(c => c.ClientId), Is.EqualTo(new[] { "bystander" }));
    }

    // PUBLISH 'a' with Payload Format Indicator twice: 2.2.2.2 "more than once is a Protocol Error".
    [TestCase(new byte[] { 0x30, 0x08, 0x00, 0x01, (byte)'a', 0x04, 0x01, 0x01, 0x01, 0x01 }, MqttReasonCode.ProtocolError,
        TestName = "A_duplicate_PUBLISH_property_gets_DISCONNECT_0x82_on_that_connection_only_MQTT_2_2_2_2")]
    // PUBLISH 'a' with Topic Alias 0.
    [TestCase(new byte[] { 0x30, 0x08, 0x00, 0x01, (byte)'a', 0x03, 0x23, 0x00, 0x00, (byte)'x' }, MqttReasonCode.TopicAliasInvalid,
        TestName = "Topic_alias_0_gets_DISCONNECT_0x94_on_that_connection_only_MQTT_3_3_2_8")]
    // PUBLISH 'a' with Topic Alias 4, above the announced maximum 3.
    [TestCase(new byte[] { 0x30, 0x08, 0x00, 0x01, (byte)'a', 0x03, 0x23, 0x00, 0x04, (byte)'x' }, MqttReasonCode.TopicAliasInvalid,
        TestName = "A_topic_alias_above_the_maximum_gets_DISCONNECT_0x94_on_that_connection_only_MQTT_3_3_2_9")]
    // SUBSCRIBE 'a' with Subscription Identifier 0.
    [TestCase(new byte[] { 0x82, 0x09, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, (byte)'a', 0x00 }, MqttReasonCode.ProtocolError,
        TestName = "Subscription_identifier_0_gets_DISCONNECT_0x82_on_that_connection_only_MQTT_3_8_2_1_2")]
    // SUBSCRIBE '$share/g+/t': a ShareName with a wildcard.
    [TestCase(new byte[] { 0x82, 0x11, 0x00, 0x01, 0x00, 0x00, 0x0B, (byte)'$', (byte)'s', (byte)'h', (byte)'a', (byte)'r', (byte)'e', (byte)'/', (byte)'g', (byte)'+', (byte)'/', (byte)'t', 0x01 },
        MqttReasonCode.MalformedPacket,
        TestName = "A_share_name_with_a_wildcard_gets_DISCONNECT_0x81_on_that_connection_only_MQTT_4_8_2_2")]
    // AUTH (Continue) with method "NOPE" from a client that connected without one: 4.12.1-1, a Protocol Error.
    [TestCase(new byte[] { 0xF0, 0x09, 0x18, 0x07, 0x15, 0x00, 0x04, (byte)'N', (byte)'O', (byte)'P', (byte)'E' }, MqttReasonCode.ProtocolError,
        TestName = "AUTH_with_an_unknown_method_gets_DISCONNECT_0x82_on_that_connection_only_MQTT_4_12_1_1")]
    public async Task Bad_input_closes_only_its_connection_with_the_reason_code(byte[] packet, MqttReasonCode expected)
    {
        var bystander = await SubscribedBystanderAsync();
        var offender = NewClient(V5);
        await offender.ConnectOkAsync("offender");

        await offender.SendRawAsync(packet);

        Assert.That((await offender.WaitForCloseAsync()).OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(expected));
        await AssertBystanderStillServedAsync(bystander);
    }

    [Test]
    public async Task CONNECT_with_an_unknown_authentication_method_gets_CONNACK_0x8C_on_that_connection_only_MQTT_4_12_0_1()
    {
        var bystander = await SubscribedBystanderAsync();
        var offender = NewClient(V5);

        await offender.SendAsync(new ConnectPacket { ProtocolLevel = 5, ClientId = "offender", Properties = new MqttProperties { AuthenticationMethod = "NOPE" } });

        Assert.That((await offender.ReceiveAsync<ConnAckPacket>()).ReasonCode, Is.EqualTo(MqttReasonCode.BadAuthenticationMethod));
        await offender.WaitForCloseAsync();
        await AssertBystanderStillServedAsync(bystander);
    }
}

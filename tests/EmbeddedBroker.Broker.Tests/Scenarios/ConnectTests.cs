using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

internal sealed class ConnectTests : BrokerScenario
{
    [Test]
    public async Task Connect_is_answered_with_CONNACK_0_MQTT_3_2_0_1()
    {
        var client = NewClient();
        await client.SendAsync(new ConnectPacket { ClientId = "c1" });
        // 3.1.1 CONNACK accepted, no session present: 20 02 00 00.
        Assert.That(await client.ReceiveRawAsync(4), Is.EqualTo(new byte[] { 0x20, 0x02, 0x00, 0x00 }));
    }

    [Test]
    public async Task First_packet_other_than_CONNECT_closes_the_connection_MQTT_3_1_0_1()
    {
        var client = NewClient();
        await client.SendAsync(PingReqPacket.Instance);
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
        Assert.That(Broker.Statistics.ProtocolViolations, Is.EqualTo(1));
    }

    [Test]
    public async Task Second_CONNECT_is_a_protocol_violation_and_closes_MQTT_3_1_0_2()
    {
        var client = await ConnectedClientAsync("c1");
        await client.SendAsync(new ConnectPacket { ClientId = "c1" });
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Unsupported_protocol_level_gets_return_code_1_then_close_MQTT_3_1_2_2()
    {
        var client = NewClient();
        // The encoder only writes supported levels, so the CONNECT is spelled out: "MQTT", level 6, clean, keep-alive 0, id "a".
        await client.SendRawAsync(0x10, 0x0D, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x06, 0x02, 0x00, 0x00, 0x00, 0x01, (byte)'a');
        Assert.That(await client.ReceiveRawAsync(4), Is.EqualTo(new byte[] { 0x20, 0x02, 0x00, 0x01 }));
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
        Assert.That(Broker.Statistics.ConnectionsRejected, Is.EqualTo(1));
    }

    [Test]
    public async Task Protocol_name_not_matching_the_level_is_refused_MQTT_3_1_2_2()
    {
        var client = NewClient();
        // "MQIsdp" (3.1's name) with level 4 (3.1.1's level).
        await client.SendRawAsync(0x10, 0x0F, 0x00, 0x06, (byte)'M', (byte)'Q', (byte)'I', (byte)'s', (byte)'d', (byte)'p', 0x04, 0x02, 0x00, 0x00, 0x00, 0x01, (byte)'a');
        Assert.That(await client.ReceiveRawAsync(4), Is.EqualTo(new byte[] { 0x20, 0x02, 0x00, 0x01 }));
    }

    [Test]
    public async Task Empty_client_id_with_clean_session_gets_an_assigned_id_MQTT_3_1_3_6()
    {
        var client = NewClient();
        await client.ConnectOkAsync("", cleanSession: true);
        var clients = Broker.GetConnectedClients();
        Assert.That(clients, Has.Count.EqualTo(1));
        Assert.That(clients[0].ClientId, Does.StartWith("auto-").And.Length.GreaterThan(10));
    }

    [Test]
    public async Task Empty_client_id_with_persistent_session_is_refused_with_0x02_MQTT_3_1_3_8()
    {
        var client = NewClient();
        await client.SendAsync(new ConnectPacket { ClientId = "", CleanSession = false });
        Assert.That(await client.ReceiveRawAsync(4), Is.EqualTo(new byte[] { 0x20, 0x02, 0x00, 0x02 }));
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Mqtt31_client_id_longer_than_23_characters_is_accepted_like_Mosquitto()
    {
        var client = NewClient(MqttProtocolVersion.V310);
        var connAck = await client.ConnectAsync(new string('x', 40));
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.Success));
        Assert.That(Broker.GetConnectedClients()[0].ProtocolVersion, Is.EqualTo(MqttProtocolVersion.V310));
    }

    [Test]
    public async Task Mqtt31_long_client_id_is_refused_when_the_deviation_is_turned_off()
    {
        Restart(Options with { Compatibilities = new MqttCompatibilities { AllowLongMqtt31ClientIds = false } });
        var client = NewClient(MqttProtocolVersion.V310);
        var connAck = await client.ConnectAsync(new string('x', 24));
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.ClientIdentifierNotValid));
    }

    [Test]
    public async Task Mqtt31_empty_client_id_is_refused_with_0x02()
    {
        var client = NewClient(MqttProtocolVersion.V310);
        var connAck = await client.ConnectAsync("");
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.ClientIdentifierNotValid));
    }

    [Test]
    public async Task Client_id_longer_than_the_configured_maximum_is_refused_with_0x02()
    {
        Restart(Options with { MaximumClientIdLength = 30 });
        var client = NewClient();
        var connAck = await client.ConnectAsync(new string('y', 31));
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.ClientIdentifierNotValid));
    }

    [Test]
    public async Task Second_connection_with_the_same_client_id_closes_the_first_MQTT_3_1_4_2()
    {
        var first = await ConnectedClientAsync("same");
        var second = await ConnectedClientAsync("same");
        Assert.That(await first.WaitForCloseAsync(), Is.Empty);
        await second.SendAsync(PingReqPacket.Instance);
        await second.ReceiveAsync<PingRespPacket>();
        Assert.That(Broker.Statistics.SessionTakeovers, Is.EqualTo(1));
        await WaitUntilAsync(() => Broker.GetConnectedClients().Count == 1, "one client remains");
    }

    [Test]
    public async Task Clean_session_CONNACK_has_session_present_0_MQTT_3_2_2_1()
    {
        var persistent = await ConnectedClientAsync("c1", cleanSession: false);
        await persistent.DisconnectAsync();
        var clean = NewClient();
        var connAck = await clean.ConnectOkAsync("c1", cleanSession: true);
        Assert.That(connAck.SessionPresent, Is.False);
    }

    [Test]
    public async Task Resumed_persistent_session_has_session_present_1_MQTT_3_2_2_2()
    {
        var first = NewClient();
        Assert.That((await first.ConnectOkAsync("p1", cleanSession: false)).SessionPresent, Is.False); // MQTT-3.2.2-3
        await first.DisconnectAsync();
        var second = NewClient();
        Assert.That((await second.ConnectOkAsync("p1", cleanSession: false)).SessionPresent, Is.True);
    }

    [Test]
    public async Task Authenticator_refusal_gets_return_code_4_and_close()
    {
        Restart(Options, new MqttBrokerHooks { Authenticator = new PasswordAuthenticator("secret") });
        var client = NewClient();
        var connAck = await client.ConnectAsync("c1", username: "u", password: "wrong"u8.ToArray());
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.BadUserNameOrPassword));
        Assert.That(connAck.SessionPresent, Is.False); // MQTT-3.2.2-4
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);

        var good = NewClient();
        var accepted = await good.ConnectAsync("c2", username: "u", password: "secret"u8.ToArray());
        Assert.That(accepted.ReasonCode, Is.EqualTo(MqttReasonCode.Success));
    }

    [Test]
    public async Task Socket_that_never_sends_CONNECT_is_closed_after_the_connect_timeout()
    {
        Restart(Options with { ConnectTimeout = TimeSpan.FromMilliseconds(200) });
        var client = NewClient();
        await client.SendRawAsync(0x10); // half a CONNECT header, then silence
        Assert.That(await client.WaitForCloseAsync(TimeSpan.FromSeconds(3)), Is.Empty);
        Assert.That(Broker.Statistics.ConnectTimeouts, Is.EqualTo(1));
    }

    [Test]
    public async Task Mqtt5_refused_with_0x84_when_disabled_in_options()
    {
        Restart(Options with { AllowMqtt5 = false });
        var client = NewClient(MqttProtocolVersion.V500);
        var connAck = await client.ConnectAsync("c5");
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.UnsupportedProtocolVersion));
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Connected_clients_are_listed_with_transport_version_and_subscriptions()
    {
        var client = await ConnectedClientAsync("lister");
        await client.SubscribeAsync("a/+", MqttQualityOfService.AtLeastOnce);
        var info = Broker.GetConnectedClients().Single();
        Assert.Multiple(() =>
        {
            Assert.That(info.ClientId, Is.EqualTo("lister"));
            Assert.That(info.Transport, Is.EqualTo("memory"));
            Assert.That(info.RemoteEndPoint, Is.EqualTo("memory:1"));
            Assert.That(info.ProtocolVersion, Is.EqualTo(MqttProtocolVersion.V311));
            Assert.That(info.Subscriptions, Is.EqualTo(new[] { new SubscriptionInfo("a/+", MqttQualityOfService.AtLeastOnce) }));
            Assert.That(Broker.Statistics.ConnectionsCurrent, Is.EqualTo(1));
        });
        await client.DisconnectAsync();
        await WaitUntilAsync(() => Broker.Statistics.ConnectionsCurrent == 0, "the client is gone");
        Assert.That(Broker.GetConnectedClients(), Is.Empty);
    }

    private sealed class PasswordAuthenticator(string password) : IConnectAuthenticator
    {
        public ValueTask<AuthenticationResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(request.Password is { } p && System.Text.Encoding.UTF8.GetString(p.Span) == password
                ? AuthenticationResult.Accept(request.Username)
                : AuthenticationResult.Refuse(MqttReasonCode.BadUserNameOrPassword));
    }
}

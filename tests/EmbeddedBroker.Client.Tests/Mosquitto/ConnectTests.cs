using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client.Tests.Mosquitto;

public sealed class ConnectTests : MosquittoTestBase
{
    [TestCase(MqttProtocolVersion.V310)]
    [TestCase(MqttProtocolVersion.V311)]
    [TestCase(MqttProtocolVersion.V500)]
    public async Task Connect_with_clean_session_is_accepted_without_session_present_MQTT_3_2_2_1(MqttProtocolVersion version)
    {
        var client = await ConnectAsync(version);

        Assert.That(client.ConnectResult.ReasonCode, Is.EqualTo(MqttReasonCode.Success));
        Assert.That(client.ConnectResult.SessionPresent, Is.False);
        Assert.That(client.IsConnected, Is.True);
    }

    [Test]
    public async Task Empty_client_id_without_clean_session_is_refused_with_identifier_rejected_MQTT_3_1_3_8()
    {
        var options = Options(clientId: "") with { CleanSession = false };

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => MqttClient.ConnectAsync(options).WaitAsync(Timeout));

        Assert.That(refused!.ReasonCode, Is.EqualTo(MqttReasonCode.ClientIdentifierNotValid));
    }

    [Test]
    public async Task Server_assigns_a_client_id_for_an_empty_one_in_MQTT_5_MQTT_3_2_2_22()
    {
        var client = await ConnectAsync(Options(MqttProtocolVersion.V500, clientId: ""));

        Assert.That(client.ConnectResult.AssignedClientId, Is.Not.Null.And.Not.Empty);
        Assert.That(client.ClientId, Is.EqualTo(client.ConnectResult.AssignedClientId));
    }

    [Test]
    public async Task Ping_is_answered_with_pingresp_MQTT_3_12_4_1()
    {
        var client = await ConnectAsync();

        await client.PingAsync().WaitAsync(Timeout);

        Assert.That(client.IsConnected, Is.True);
    }

    [Test]
    public async Task Keep_alive_pings_keep_an_idle_connection_open_MQTT_3_1_2_23()
    {
        // The server closes after 1.5 x keep-alive without a packet (MQTT-3.1.2-24); the client must ping before that.
        var client = await ConnectAsync(Options() with { KeepAliveSeconds = 1 });

        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.That(client.IsConnected, Is.True);
        await client.PingAsync().WaitAsync(Timeout);
    }

    [Test]
    public async Task Second_connect_makes_the_server_close_the_connection_MQTT_3_1_0_2()
    {
        var client = await ConnectAsync();
        var lost = new TaskCompletionSource<MqttConnectionLostEventArgs>();
        client.ConnectionLost += (_, e) => lost.TrySetResult(e);

        await client.SendPacketAsync(new ConnectPacket { ClientId = client.ClientId });

        Assert.That(await lost.Task.WaitAsync(Timeout), Is.Not.Null);
        Assert.That(await client.Closed.WaitAsync(Timeout), Is.Not.Null);
        Assert.That(client.IsConnected, Is.False);
    }

    [Test]
    public async Task Garbage_bytes_make_the_server_close_and_pending_requests_fail()
    {
        var client = await ConnectAsync();

        // Packet type 0 is reserved/forbidden (MQTT-2.2.1): a malformed packet closes the network connection.
        await client.SendRawAsync(new byte[] { 0x00, 0x00 });

        Assert.That(await client.Closed.WaitAsync(Timeout), Is.Not.Null);
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => client.PublishAsync("a/b", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce));
    }

    [Test]
    public async Task Disconnect_sends_disconnect_and_completes_messages()
    {
        var client = await ConnectAsync();

        await client.DisconnectAsync().WaitAsync(Timeout);

        Assert.That(client.IsConnected, Is.False);
        Assert.That(await client.Closed.WaitAsync(Timeout), Is.Null, "closed by the application, not lost");
        Assert.That(client.Messages.Completion.IsCompleted, Is.True);
    }
}

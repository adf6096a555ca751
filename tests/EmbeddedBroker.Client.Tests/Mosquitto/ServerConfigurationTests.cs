using System.Text;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Client.Tests.Mosquitto;

/// <summary>Our client against a mosquitto configured with a packet size limit or an ACL, each test with its own broker.</summary>
public sealed class ServerConfigurationTests : MosquittoTestBase
{
    [TestCase(MqttQualityOfService.AtMostOnce)]
    [TestCase(MqttQualityOfService.AtLeastOnce)]
    [TestCase(MqttQualityOfService.ExactlyOnce)]
    public async Task Publish_over_the_servers_maximum_packet_size_is_refused_before_it_is_sent_MQTT_3_2_2_15(MqttQualityOfService qos)
    {
        using var mosquitto = await MosquittoBroker.StartAsync(new MosquittoOptions { ConfigLines = ["max_packet_size 200"] });
        var client = await ConnectAsync(Options(MqttProtocolVersion.V500) with { Port = mosquitto.Port });
        Assert.That(client.ConnectResult.ConnAck.Properties.MaximumPacketSize, Is.EqualTo(200));
        await client.SubscribeAsync(($"{Prefix}/#", MqttQualityOfService.AtLeastOnce)).WaitAsync(Timeout);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync($"{Prefix}/big", new byte[300], qos));
        Assert.That(refused!.Message, Does.Contain("Maximum Packet Size of 200 bytes"));

        // Had the big PUBLISH gone out, mosquitto would have closed the connection (its max_packet_size rule).
        await client.PublishAsync($"{Prefix}/small", "fits"u8.ToArray(), qos).WaitAsync(Timeout);
        var message = await ReceiveAsync(client);
        Assert.That((message.Topic, Encoding.UTF8.GetString(message.Payload.Span)), Is.EqualTo(($"{Prefix}/small", "fits")));
        Assert.That(client.IsConnected, Is.True, mosquitto.Log);
    }

    [TestCase(MqttQualityOfService.AtLeastOnce)]
    [TestCase(MqttQualityOfService.ExactlyOnce)]
    public async Task Publish_the_servers_acl_refuses_fails_with_its_not_authorized_reason_code_MQTT_3_4_2_1(MqttQualityOfService qos)
    {
        using var mosquitto = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            ConfigLines = ["acl_file acl"],
            Files = new Dictionary<string, string> { ["acl"] = "topic readwrite allowed/#\n" },
        });
        var client = await ConnectAsync(Options(MqttProtocolVersion.V500) with { Port = mosquitto.Port });
        await client.SubscribeAsync(("allowed/#", MqttQualityOfService.AtLeastOnce)).WaitAsync(Timeout);

        var refused = await Assert.ThrowsAsync<MqttOperationException>(() => client.PublishAsync("denied/x", "no"u8.ToArray(), qos).WaitAsync(Timeout));
        Assert.That(refused!.ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized), mosquitto.Log);

        // The refusal ends that one publish only: the connection goes on.
        await client.PublishAsync("allowed/x", "yes"u8.ToArray(), qos).WaitAsync(Timeout);
        var message = await ReceiveAsync(client);
        Assert.That((message.Topic, Encoding.UTF8.GetString(message.Payload.Span)), Is.EqualTo(("allowed/x", "yes")));
    }
}

using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

internal sealed class RobustnessTests : BrokerScenario
{
    protected override MqttBrokerOptions Options => base.Options with { Capabilities = new MqttCapabilities { MaximumPacketSize = 1024 } };

    [Test]
    public async Task Garbage_on_one_connection_closes_it_and_never_disturbs_the_others()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("live", MqttQualityOfService.AtLeastOnce);
        var publisher = await ConnectedClientAsync("pub");

        var vandal = await ConnectedClientAsync("vandal");
        await publisher.PublishAsync("live", "before", MqttQualityOfService.AtLeastOnce);
        await vandal.SendRawAsync(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F); // remaining length over 4 bytes
        await publisher.PublishAsync("live", "during", MqttQualityOfService.AtLeastOnce);
        Assert.That(await vandal.WaitForCloseAsync(), Is.Empty);
        await publisher.PublishAsync("live", "after", MqttQualityOfService.AtLeastOnce);

        foreach (var expected in new[] { "before", "during", "after" })
            Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo(expected));
        Assert.That(Broker.Statistics.MalformedPackets, Is.EqualTo(1));
        Assert.That(Broker.GetConnectedClients().Select(c => c.ClientId), Is.EquivalentTo(new[] { "sub", "pub" }));
    }

    [Test]
    public async Task Garbage_instead_of_CONNECT_closes_without_an_answer()
    {
        var client = NewClient();
        await client.SendRawAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
        Assert.That(Broker.Statistics.MalformedPackets, Is.EqualTo(1));
    }

    [Test]
    public async Task Packet_over_the_maximum_size_closes_the_connection()
    {
        var client = await ConnectedClientAsync("big");
        await client.SendAsync(new PublishPacket { Topic = "t", Payload = new byte[2000] });
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
        Assert.That(Broker.Statistics.MalformedPackets, Is.EqualTo(1));
    }

    [Test]
    public async Task Invalid_fixed_header_flags_close_the_connection_MQTT_2_2_2_2()
    {
        var client = await ConnectedClientAsync("flags");
        await client.SendRawAsync(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'t', 0x00); // SUBSCRIBE without its 0b0010 flags (MQTT-3.8.1-1)
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task Client_that_vanishes_mid_packet_is_cleaned_up()
    {
        var client = await ConnectedClientAsync("half");
        await client.SendRawAsync(0x30, 0x0A, 0x00, 0x01); // a PUBLISH cut short
        await client.AbortAsync();
        await client.WaitForCloseAsync();
        await WaitUntilAsync(() => Broker.Statistics.ConnectionsCurrent == 0 && Broker.Statistics.SessionsCount == 0, "the client is cleaned up");
    }

    [Test]
    public async Task Many_clients_publish_and_receive_concurrently()
    {
        const int clients = 20;
        const int messagesEach = 50;
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("load/+", MqttQualityOfService.AtLeastOnce);

        var publishers = new List<TestClient>();
        for (var i = 0; i < clients; i++)
            publishers.Add(await ConnectedClientAsync($"p{i}"));
        await Task.WhenAll(publishers.Select((p, i) => Task.Run(async () =>
        {
            for (var m = 0; m < messagesEach; m++)
                await p.PublishAsync($"load/{i}", m.ToString(System.Globalization.CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce);
        })));

        var lastPerTopic = new Dictionary<string, int>();
        for (var n = 0; n < clients * messagesEach; n++)
        {
            var publish = await subscriber.ReceivePublishAsync();
            var value = int.Parse(publish.Text(), System.Globalization.CultureInfo.InvariantCulture);
            // Per publisher (= per topic here) the order is kept (MQTT-4.6.0-2).
            Assert.That(value, Is.EqualTo(lastPerTopic.GetValueOrDefault(publish.Topic, -1) + 1));
            lastPerTopic[publish.Topic] = value;
        }
    }

    [Test]
    public async Task Disposing_the_broker_closes_every_connection()
    {
        var a = await ConnectedClientAsync("a");
        var b = NewClient(); // not even connected yet
        await Broker.DisposeAsync();
        await a.WaitForCloseAsync();
        await b.WaitForCloseAsync();
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Testing;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Api;

/// <summary>GET /api/clients, /api/messages and /api/stats.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class QueryApiTests
{
    private WebBroker broker = null!;

    [SetUp]
    // $SYS off: its retained topics and periodic messages would make the counts below racy.
    public async Task StartBroker() => broker = await WebBroker.StartAsync("--Web:Api:RecentMessagesCapacity", "50", "--Broker:EnableSysTopics", "false");

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Clients_lists_tcp_and_websocket_clients_with_version_transport_and_subscriptions()
    {
        await using var tcp = await broker.ConnectTcpClientAsync("tcp-client");
        await tcp.SubscribeAsync(("sensors/#", MqttQualityOfService.AtLeastOnce));
        using var ws = await RawWebSocketClient.ConnectAsync(broker.WebSocketUri(), "mqtt");
        await ws.SendAsync(MqttBytes.Connect);
        await ws.ReceiveBytesAsync(4);

        using var clients = JsonDocument.Parse(await broker.Http.GetStringAsync(new Uri("/api/clients", UriKind.Relative)));

        var byId = clients.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("clientId").GetString()!);
        Assert.That(byId.Keys, Is.EquivalentTo(new[] { "tcp-client", "ws1" }));
        var tcpEntry = byId["tcp-client"];
        Assert.Multiple(() =>
        {
            Assert.That(tcpEntry.GetProperty("transport").GetString(), Is.EqualTo("tcp"));
            Assert.That(tcpEntry.GetProperty("protocolVersion").GetString(), Is.EqualTo("3.1.1"));
            Assert.That(tcpEntry.GetProperty("address").GetString(), Does.StartWith("127.0.0.1:"));
            Assert.That(tcpEntry.GetProperty("connectedAt").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            var subscription = tcpEntry.GetProperty("subscriptions").EnumerateArray().Single();
            Assert.That(subscription.GetProperty("topicFilter").GetString(), Is.EqualTo("sensors/#"));
            Assert.That(subscription.GetProperty("qos").GetInt32(), Is.EqualTo(1));
            Assert.That(byId["ws1"].GetProperty("transport").GetString(), Is.EqualTo("ws"));
            Assert.That(byId["ws1"].GetProperty("address").GetString(), Does.StartWith("127.0.0.1:"));
        });
    }

    [Test]
    public async Task Messages_are_newest_first_and_filtered_by_topic_filter_and_limit()
    {
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        foreach (var (topic, payload) in new[] { ("sensors/a/temp", "1"), ("sensors/b/temp", "2"), ("other/x", "3"), ("sensors/c/hum", "4") })
        {
            await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce);
        }

        var temps = await GetMessagesAsync("/api/messages?topic=" + Uri.EscapeDataString("sensors/+/temp"));
        var limited = await GetMessagesAsync("/api/messages?limit=2");

        Assert.That(temps.Select(m => m.GetProperty("payload").GetString()), Is.EqualTo(new[] { "2", "1" }));
        Assert.That(temps[0].GetProperty("clientId").GetString(), Is.EqualTo("pub"));
        Assert.That(temps[0].GetProperty("source").GetString(), Is.EqualTo("Client"));
        Assert.That(temps[0].GetProperty("encoding").GetString(), Is.EqualTo("utf8"));
        Assert.That(temps[0].GetProperty("qos").GetInt32(), Is.EqualTo(1));
        Assert.That(limited.Select(m => m.GetProperty("topic").GetString()), Is.EqualTo(new[] { "sensors/c/hum", "other/x" }));
    }

    [Test]
    public async Task Messages_since_a_time_leave_out_older_ones()
    {
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        await publisher.PublishAsync("old", Encoding.UTF8.GetBytes("o"), MqttQualityOfService.AtLeastOnce);
        await Task.Delay(50);
        var cut = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await publisher.PublishAsync("new", Encoding.UTF8.GetBytes("n"), MqttQualityOfService.AtLeastOnce);

        var messages = await GetMessagesAsync("/api/messages?since=" + Uri.EscapeDataString(cut.ToString("O", CultureInfo.InvariantCulture)));

        Assert.That(messages.Select(m => m.GetProperty("topic").GetString()), Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public async Task Binary_payload_is_returned_as_base64()
    {
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        await publisher.PublishAsync("bin", new byte[] { 0xFF, 0xFE, 0x00 }, MqttQualityOfService.AtLeastOnce);

        var message = (await GetMessagesAsync("/api/messages?topic=bin")).Single();

        Assert.That(message.GetProperty("encoding").GetString(), Is.EqualTo("base64"));
        Assert.That(message.GetProperty("payload").GetString(), Is.EqualTo(Convert.ToBase64String([0xFF, 0xFE, 0x00])));
        Assert.That(message.GetProperty("payloadBytes").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Only_the_last_capacity_messages_are_kept()
    {
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        for (var i = 0; i < 60; i++)
        {
            await publisher.PublishAsync("ring", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)), MqttQualityOfService.AtLeastOnce);
        }

        var messages = await GetMessagesAsync("/api/messages?limit=50");

        Assert.That(messages, Has.Count.EqualTo(50));
        Assert.That(messages[0].GetProperty("payload").GetString(), Is.EqualTo("59"));
        Assert.That(messages[^1].GetProperty("payload").GetString(), Is.EqualTo("10"));
    }

    [TestCase("topic=a/%23/b", "topic", TestName = "Filter with # not last is a 400 naming topic MQTT_4_7_1_2")]
    [TestCase("topic=a%2Bb", "topic", TestName = "Filter with + inside a level is a 400 naming topic MQTT_4_7_1_3")]
    [TestCase("topic=", "topic", TestName = "Empty filter is a 400 naming topic")]
    [TestCase("since=yesterday", "since", TestName = "Unparseable since is a 400 naming since")]
    [TestCase("limit=0", "limit", TestName = "Limit 0 is a 400 naming limit")]
    [TestCase("limit=abc", "limit", TestName = "Non-numeric limit is a 400 naming limit")]
    [TestCase("limit=51", "limit", TestName = "Limit over the capacity is a 400 naming limit")]
    [TestCase("limit=-5", "limit", TestName = "Negative limit is a 400 naming limit")]
    public async Task Invalid_query_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await broker.Http.GetAsync(new Uri("/api/messages?" + query, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("field").GetString(), Is.EqualTo(field));
    }

    [Test]
    public async Task Stats_count_connections_messages_bytes_retained_and_the_recorder()
    {
        await using var client = await broker.ConnectTcpClientAsync("stats");
        await client.PublishAsync("stats/kept", Encoding.UTF8.GetBytes("v"), MqttQualityOfService.AtLeastOnce, retain: true);
        await broker.WaitForExportsAsync("stats/kept");

        // The file shows the line as soon as it is written; the recorder counts it when its commit completes.
        JsonDocument stats = null!;
        await Eventually.HoldsAsync(async () =>
        {
            stats?.Dispose();
            stats = JsonDocument.Parse(await broker.Http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
            return stats.RootElement.GetProperty("recorder").GetProperty("recorded").GetInt64() >= 1;
        }, () => "the recorder counts the recorded message", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
        using var disposeStats = stats;

        var root = stats.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("connections").GetProperty("current").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("connections").GetProperty("total").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("messages").GetProperty("received").GetInt64(), Is.GreaterThanOrEqualTo(1));
            Assert.That(root.GetProperty("bytes").GetProperty("received").GetInt64(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("bytes").GetProperty("sent").GetInt64(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("retained").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("recorder").GetProperty("recorded").GetInt64(), Is.GreaterThanOrEqualTo(1));
            Assert.That(root.GetProperty("recorder").GetProperty("dropped").GetInt64(), Is.Zero);
            Assert.That(root.GetProperty("recorder").TryGetProperty("queueDepth", out _), Is.True);
            Assert.That(root.GetProperty("recentMessages").GetProperty("capacity").GetInt32(), Is.EqualTo(50));
            Assert.That(root.GetProperty("uptimeSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
        });
    }

    private async Task<List<JsonElement>> GetMessagesAsync(string path)
    {
        var json = await broker.Http.GetStringAsync(new Uri(path, UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}

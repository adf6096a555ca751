using System.Net;
using System.Text;
using System.Text.Json;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Api;

/// <summary>
/// The history endpoints: GET /api/messages from the recorded SQLite database (after a restart too) or the ring,
/// payload previews with the full size and the full payload by id, the response size cap, the export, retained
/// messages, delivery receipts, and the recorder as /api/stats shows it.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class HistoryApiTests
{
    private TempFolder temp = null!;

    [SetUp]
    public void SetUp() => temp = new TempFolder();

    [TearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public async Task After_a_restart_the_recorded_messages_are_served_from_sqlite_with_filters_and_paging()
    {
        string[] sqlite = ["--Recorder:Format", "csv,sqlite", "--Recorder:Output", temp.Combine("mqtt_data"), "--Recorder:FlushIntervalMs", "50"];
        await using (var first = await WebBroker.StartAsync(sqlite))
        {
            await using var publisher = await first.ConnectTcpClientAsync("pub");
            for (var i = 0; i < 300; i++)
            {
                await publisher.PublishAsync($"sensors/{i % 3}/t", Encoding.UTF8.GetBytes($"{i}"), MqttQualityOfService.AtLeastOnce);
            }
        }

        await using var second = await WebBroker.StartAsync(sqlite);
        var (page1, next1) = await GetAsync(second, "/api/messages?topic=" + Uri.EscapeDataString("sensors/1/+") + "&limit=40");
        var (page2, next2) = await GetAsync(second, $"/api/messages?topic={Uri.EscapeDataString("sensors/1/+")}&limit=40&cursor={next1}");
        var (page3, next3) = await GetAsync(second, $"/api/messages?topic={Uri.EscapeDataString("sensors/1/+")}&limit=40&cursor={next2}");

        var payloads = page1.Concat(page2).Concat(page3).Select(m => m.GetProperty("payload").GetString()).ToList();
        Assert.That(payloads, Is.EqualTo(Enumerable.Range(0, 300).Where(i => i % 3 == 1).Reverse().Select(i => $"{i}")));
        Assert.That(next1, Is.Not.Null);
        Assert.That(next2, Is.Not.Null);
        Assert.That(next3, Is.Null);
        Assert.That(page1[0].GetProperty("clientId").GetString(), Is.EqualTo("pub"));
        Assert.That(page1[0].GetProperty("qos").GetInt32(), Is.EqualTo(1));

        var firstAt = page1[^1].GetProperty("receivedAt").GetDateTimeOffset();
        var lastAt = page1[0].GetProperty("receivedAt").GetDateTimeOffset();
        var (range, _) = await GetAsync(second, $"/api/messages?topic=sensors/1/t&from={Uri.EscapeDataString(firstAt.ToString("O"))}&to={Uri.EscapeDataString(lastAt.ToString("O"))}&limit=1000");
        Assert.That(range.Take(40).Select(m => m.GetProperty("payload").GetString()), Is.EqualTo(payloads.Take(40)), "from and to are inclusive");
        Assert.That(range.Skip(40).Select(m => m.GetProperty("receivedAt").GetDateTimeOffset()), Has.All.EqualTo(firstAt), "older ones only within the same millisecond");
    }

    [Test]
    public async Task Large_payloads_are_previewed_with_their_full_size_and_fetched_whole_by_id()
    {
        await using var broker = await WebBroker.StartAsync("--Web:Api:RecentMessagesMaxBytes", "67108864");
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        var big = new byte[1_000_000];
        new Random(7).NextBytes(big);
        for (var i = 0; i < 20; i++)
        {
            big[0] = (byte)i;
            await publisher.PublishAsync("files/blob", big, MqttQualityOfService.AtLeastOnce);
        }

        using var response = await broker.Http.GetAsync(new Uri("/api/messages?limit=1000", UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.That(body.Length, Is.LessThan(1024 * 1024), "20 MB of payloads answer in well under a MiB");
        using var list = JsonDocument.Parse(body);
        var newest = list.RootElement[0];
        Assert.That(newest.GetProperty("payloadBytes").GetInt32(), Is.EqualTo(1_000_000));
        Assert.That(newest.GetProperty("truncated").GetBoolean(), Is.True);
        Assert.That(Convert.FromBase64String(newest.GetProperty("payload").GetString()!), Is.EqualTo(big[..4096]));

        using var payload = await broker.Http.GetAsync(new Uri($"/api/messages/{newest.GetProperty("id").GetInt64()}/payload", UriKind.Relative));
        Assert.That(payload.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(await payload.Content.ReadAsByteArrayAsync(), Is.EqualTo(big));
        using var missing = await broker.Http.GetAsync(new Uri("/api/messages/999999/payload", UriKind.Relative));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_list_over_the_response_cap_is_cut_and_its_cursor_continues_after_the_last_entry()
    {
        await using var broker = await WebBroker.StartAsync("--Web:Api:MaxResponseBytes", "65536", "--Web:Api:PayloadPreviewBytes", "8192");
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        for (var i = 0; i < 30; i++)
        {
            await publisher.PublishAsync("t", Encoding.UTF8.GetBytes($"{i:D2}" + new string('x', 9000)), MqttQualityOfService.AtLeastOnce);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await broker.Http.GetAsync(new Uri("/api/messages?limit=100" + (cursor is null ? "" : "&cursor=" + cursor), UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.That(body.Length, Is.LessThanOrEqualTo(65536));
            using var list = JsonDocument.Parse(body);
            seen.AddRange(list.RootElement.EnumerateArray().Select(m => m.GetProperty("payload").GetString()![..2]));
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 30).Reverse().Select(i => $"{i:D2}")));
        Assert.That(pages, Is.GreaterThan(1));
    }

    [TestCase("csv")]
    [TestCase("json")]
    public async Task The_export_streams_the_recorded_range_in_the_files_format(string format)
    {
        await using var broker = await WebBroker.StartAsync("--Recorder:Format", $"{format},sqlite", "--Recorder:FlushIntervalMs", "20");
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        foreach (var payload in new[] { "a,b", "quote \"q\"", "line\nbreak", "23.5" })
        {
            await publisher.PublishAsync("sensors/t", Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce);
        }

        await publisher.PublishAsync("other/t", "not exported"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await Eventually.HoldsAsync(() => broker.Services.GetService(typeof(Recorder.RecorderStatistics)) is Recorder.RecorderStatistics { Recorded: 5 }, "5 recorded");

        using var response = await broker.Http.GetAsync(new Uri($"/api/messages/export?format={format}&topic=sensors/%23", UriKind.Relative));
        var exported = Path.Combine(temp.Path, "export." + format);
        await File.WriteAllBytesAsync(exported, await response.Content.ReadAsByteArrayAsync());

        var records = format == "csv" ? RecordedFiles.ReadCsv(exported) : RecordedFiles.ReadJsonArray(exported);
        Assert.That(records.Select(r => r.PayloadText), Is.EqualTo(new[] { "a,b", "quote \"q\"", "line\nbreak", "23.5" }));
        Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
    }

    [Test]
    public async Task Retained_messages_are_listed_by_topic_without_sys_and_stats_do_not_count_sys()
    {
        await using var broker = await WebBroker.StartAsync("--Broker:SysInterval", "00:00:01");
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        await publisher.PublishAsync("home/b", "2"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);
        await publisher.PublishAsync("home/a", "1"u8.ToArray(), MqttQualityOfService.ExactlyOnce, retain: true);
        await Eventually.HoldsAsync(() => broker.Broker.GetRetainedMessages().Any(m => m.Topic.StartsWith("$SYS", StringComparison.Ordinal)), "$SYS retained topics exist");

        var (retained, _) = await GetAsync(broker, "/api/retained");
        var (sys, _) = await GetAsync(broker, "/api/retained?topic=" + Uri.EscapeDataString("$SYS/#"));
        using var stats = JsonDocument.Parse(await broker.Http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));

        Assert.That(retained.Select(r => (r.GetProperty("topic").GetString(), r.GetProperty("payload").GetString(), r.GetProperty("qos").GetInt32())),
            Is.EqualTo(new[] { ("home/a", "1", 2), ("home/b", "2", 1) }));
        Assert.That(sys, Is.Not.Empty);
        Assert.That(stats.RootElement.GetProperty("retained").GetInt64(), Is.EqualTo(2), "$SYS kept out");
        Assert.That(stats.RootElement.GetProperty("retainedSys").GetInt64(), Is.EqualTo(sys.Count));
    }

    [TestCase("csv", TestName = "Delivery receipts are served from memory without a database")]
    [TestCase("csv,sqlite", TestName = "Delivery receipts are served from the sqlite table")]
    public async Task Delivery_receipts_name_the_consumer_that_acknowledged(string format)
    {
        await using var broker = await WebBroker.StartAsync("--Recorder:Format", format, "--Recorder:RecordDeliveries", "true", "--Recorder:FlushIntervalMs", "20");
        await using var consumer = await broker.ConnectTcpClientAsync("phone-app");
        await consumer.SubscribeAsync(("alerts/#", MqttQualityOfService.ExactlyOnce));
        await using var publisher = await broker.ConnectTcpClientAsync("admin-script");
        await publisher.PublishAsync("alerts/maintenance", "22h"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await consumer.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        List<JsonElement> deliveries = [];
        await Eventually.HoldsAsync(async () => (deliveries = (await GetAsync(broker, "/api/deliveries?client=phone-app")).Items).Count == 1,
            () => "the receipt is served", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        var receipt = deliveries.Single();
        Assert.That((receipt.GetProperty("clientId").GetString(), receipt.GetProperty("topic").GetString(), receipt.GetProperty("qos").GetInt32(), receipt.GetProperty("publisherClientId").GetString()),
            Is.EqualTo(("phone-app", "alerts/maintenance", 2, "admin-script")));
    }

    [Test]
    public async Task Stats_show_the_recorder_formats_outputs_and_last_flush()
    {
        await using var broker = await WebBroker.StartAsync("--Recorder:Format", "csv,json,sqlite");
        await using var publisher = await broker.ConnectTcpClientAsync("pub");
        await publisher.PublishAsync("t", "1"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await broker.WaitForExportsAsync("\"payload\":\"1\"");

        JsonElement recorder = default;
        await Eventually.HoldsAsync(async () =>
        {
            using var stats = JsonDocument.Parse(await broker.Http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
            recorder = stats.RootElement.GetProperty("recorder").Clone();
            return recorder.GetProperty("lastFlushAt").ValueKind == JsonValueKind.String;
        }, () => "a flush is reported", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        Assert.That(recorder.GetProperty("format").GetString(), Is.EqualTo("csv,json,sqlite"));
        Assert.That(recorder.GetProperty("outputs").EnumerateArray().Select(o => Path.GetFileName(o.GetString())), Is.EqualTo(new[] { "mqtt_data.csv", "mqtt_data.json", "mqtt_data.db" }));
        Assert.That(recorder.GetProperty("history").GetString(), Does.StartWith("sqlite "));
    }

    [TestCase("cursor=abc", "cursor")]
    [TestCase("from=soon", "from")]
    [TestCase("to=later", "to")]
    [TestCase("limit=1001", "limit")]
    public async Task A_bad_history_parameter_is_a_400_naming_it(string query, string field)
    {
        await using var broker = await WebBroker.StartAsync("--Recorder:Format", "sqlite");
        using var response = await broker.Http.GetAsync(new Uri("/api/messages?" + query, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("field").GetString(), Is.EqualTo(field));
    }

    private static async Task<(List<JsonElement> Items, string? NextCursor)> GetAsync(WebBroker broker, string path)
    {
        using var response = await broker.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var next = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
        return ([.. document.RootElement.EnumerateArray().Select(e => e.Clone())], next);
    }
}

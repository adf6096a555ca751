using System.Text;
using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests.Databases;

/// <summary>The history read back from mqtt_data.db: filters, time range, cursor paging, previews, export.</summary>
public sealed class SqliteHistoryTests : TempFolderFixture
{
    private string Output => Temp.Combine("mqtt_data");

    [Test]
    public async Task Ten_thousand_messages_page_newest_first_with_the_cursor_each_exactly_once()
    {
        var history = await RecordAsync(Enumerable.Range(0, 10_000).Select(i => Messages.Text($"sensors/{i % 4}/t", $"{i}", at: Messages.Noon.AddMilliseconds(i))));
        var seen = new List<string>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await history.QueryAsync(new HistoryQuery { Limit = 700, Before = cursor }, CancellationToken.None);
            seen.AddRange(page.Entries.Select(e => Encoding.UTF8.GetString(e.Message.Payload.Span)));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 10_000).Reverse().Select(i => $"{i}")));
        Assert.That(pages, Is.EqualTo(15));
    }

    [TestCase("sensors/1/t", new[] { 9, 5, 1 })]
    [TestCase("sensors/+/t", new[] { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 })]
    [TestCase("sensors/#", new[] { 13, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 })]
    [TestCase("sensors", new[] { 13 })]
    [TestCase("#", new[] { 14, 13, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 })]
    [TestCase("$SYS/#", new[] { 12 })]
    [TestCase("+/+", new[] { 14 })]
    public async Task A_topic_filter_selects_what_an_mqtt_subscription_would_MQTT_4_7_1_and_4_7_2(string filter, int[] expected)
    {
        var messages = Enumerable.Range(0, 12).Select(i => Messages.Text($"sensors/{i % 4}/t", $"{i}")).ToList();
        messages.Add(Messages.Text("$SYS/broker/uptime", "12"));
        messages.Add(Messages.Text("sensors", "13"));
        messages.Add(Messages.Text("sensorsX/y", "14"));
        var options = RecorderRun.OptionsFor(Output, "sqlite");
        options.Topics = ["#", "$SYS/#"];
        var history = await RecordAsync(messages, options);

        var page = await history.QueryAsync(new HistoryQuery { TopicFilter = filter, Limit = 100 }, CancellationToken.None);

        Assert.That(page.Entries.Select(e => int.Parse(Encoding.UTF8.GetString(e.Message.Payload.Span))), Is.EqualTo(expected));
        Assert.That(page.NextCursor, Is.Null);
    }

    [Test]
    public async Task A_time_range_includes_both_ends_and_pages_within_it()
    {
        var history = await RecordAsync(Enumerable.Range(0, 100).Select(i => Messages.Text("sensors/t", $"{i}", at: Messages.Noon.AddSeconds(i))));
        var query = new HistoryQuery { From = Messages.Noon.AddSeconds(10), To = Messages.Noon.AddSeconds(29), Limit = 15 };

        var first = await history.QueryAsync(query, CancellationToken.None);
        var second = await history.QueryAsync(query with { Before = first.NextCursor }, CancellationToken.None);

        Assert.That(first.Entries.Concat(second.Entries).Select(e => Encoding.UTF8.GetString(e.Message.Payload.Span)),
            Is.EqualTo(Enumerable.Range(10, 20).Reverse().Select(i => $"{i}")));
        Assert.That(second.NextCursor, Is.Null);
        Assert.That(first.Entries[0].Message.ReceivedAt, Is.EqualTo(Messages.Noon.AddSeconds(29)));
    }

    [Test]
    public async Task Entries_carry_a_payload_preview_with_the_full_size_and_the_full_payload_is_fetched_by_id()
    {
        var big = new byte[100_000];
        new Random(5).NextBytes(big);
        var history = await RecordAsync([Messages.Bytes("files/blob", big), Messages.Text("files/small", "tiny")]);

        var page = await history.QueryAsync(new HistoryQuery { PreviewBytes = 4096 }, CancellationToken.None);

        var blob = page.Entries.Single(e => e.Message.Topic == "files/blob");
        Assert.That((blob.Message.Payload.Length, blob.PayloadBytes, blob.IsPayloadCut), Is.EqualTo((4096, 100_000, true)));
        Assert.That(blob.Message.Payload.ToArray(), Is.EqualTo(big[..4096]));
        Assert.That(page.Entries.Single(e => e.Message.Topic == "files/small").IsPayloadCut, Is.False);
        var full = await history.GetAsync(blob.Id, CancellationToken.None);
        Assert.That(full!.Payload.ToArray(), Is.EqualTo(big));
        Assert.That(await history.GetAsync(blob.Id + 1000, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_rare_topic_among_many_answers_with_a_cursor_after_the_scan_budget()
    {
        var messages = Enumerable.Range(0, 60_000).Select(i => Messages.Text(i == 10 ? "rare/x" : "sensors/t", $"{i}"));
        var history = await RecordAsync(messages);

        // A filter starting with a wildcard has no prefix for the index: every row is matched here.
        var first = await history.QueryAsync(new HistoryQuery { TopicFilter = "+/x", Limit = 10 }, CancellationToken.None);
        Assert.That(first.Entries, Is.Empty);
        Assert.That(first.NextCursor, Is.Not.Null, "more rows to look at");
        var second = await history.QueryAsync(new HistoryQuery { TopicFilter = "+/x", Limit = 10, Before = first.NextCursor }, CancellationToken.None);
        Assert.That(second.Entries.Select(e => e.Message.Topic), Is.EqualTo(new[] { "rare/x" }));
        Assert.That(second.NextCursor, Is.Null);
    }

    [TestCase("csv", ".csv")]
    [TestCase("json", ".json")]
    [TestCase("jsonl", ".jsonl")]
    public async Task An_export_is_byte_for_byte_the_file_the_recorder_wrote(string format, string extension)
    {
        var messages = Messages.TrickyPayloads.Select((p, i) => Messages.Bytes($"sensors/{i}", p, clientId: i % 2 == 0 ? null : "c", at: Messages.Noon.AddMilliseconds(i)));
        var history = await RecordAsync(messages, RecorderRun.OptionsFor(Output, $"{format},sqlite"));

        using var exported = new MemoryStream();
        await RecordExport.WriteAsync(history.ExportAsync(new HistoryQuery(), CancellationToken.None), format, exported, CancellationToken.None);

        Assert.That(exported.ToArray(), Is.EqualTo(await File.ReadAllBytesAsync(Output + extension)));
    }

    [Test]
    public async Task An_export_of_a_range_holds_only_that_range_oldest_first()
    {
        var history = await RecordAsync(Enumerable.Range(0, 3000).Select(i => Messages.Text($"sensors/{i % 2}", $"{i}", at: Messages.Noon.AddSeconds(i))));
        var query = new HistoryQuery { TopicFilter = "sensors/1", From = Messages.Noon.AddSeconds(1001), To = Messages.Noon.AddSeconds(2999) };

        var payloads = new List<string>();
        await foreach (var entry in history.ExportAsync(query, CancellationToken.None))
        {
            payloads.Add(Encoding.UTF8.GetString(entry.Message.Payload.Span));
        }

        Assert.That(payloads, Is.EqualTo(Enumerable.Range(1001, 1999).Where(i => i % 2 == 1).Select(i => $"{i}")));
    }

    [Test]
    public async Task Delivery_receipts_page_newest_first_by_consumer()
    {
        var options = RecorderRun.OptionsFor(Output, "sqlite");
        options.RecordDeliveries = true;
        await using (var run = await RecorderRun.StartAsync(options))
        {
            for (var i = 0; i < 30; i++)
            {
                var message = Messages.Text($"sensors/{i}", "x", qos: Protocol.MqttQualityOfService.AtLeastOnce);
                run.Publish(message);
                run.Recorder.OnDeliveryAcknowledged(SqliteOutputTests.Identity(i % 2 == 0 ? "even" : "odd"), message, Protocol.MqttQualityOfService.AtLeastOnce);
            }

            await Eventually.HoldsAsync(() => run.Statistics.DeliveriesRecorded == 30, "30 receipts");
        }

        var deliveries = new RecordedHistory(Microsoft.Extensions.Options.Options.Create(options)).Deliveries!;
        var first = await deliveries.QueryAsync(new DeliveryQuery { ClientId = "even", Limit = 10 }, CancellationToken.None);
        var second = await deliveries.QueryAsync(new DeliveryQuery { ClientId = "even", Limit = 10, Before = first.NextCursor }, CancellationToken.None);

        Assert.That(first.Entries.Concat(second.Entries).Select(d => d.Topic), Is.EqualTo(Enumerable.Range(0, 30).Where(i => i % 2 == 0).Reverse().Select(i => $"sensors/{i}")));
        Assert.That(first.Entries.All(d => d.ClientId == "even" && d.Qos == 1), Is.True);
        var filtered = await deliveries.QueryAsync(new DeliveryQuery { TopicFilter = "sensors/2+", Limit = 10 }, CancellationToken.None);
        Assert.That(filtered.Entries, Is.Empty, "'2+' is no filter level: only the exact topic would match");
    }

    [Test]
    public async Task Without_a_database_there_is_no_recorded_history()
    {
        var history = new RecordedHistory(Microsoft.Extensions.Options.Options.Create(RecorderRun.OptionsFor(Output, "csv,json")));
        Assert.That((history.Messages, history.Deliveries), Is.EqualTo(((IMessageHistory?)null, (IDeliveryHistory?)null)));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Before_anything_is_recorded_the_history_is_empty()
    {
        var history = new RecordedHistory(Microsoft.Extensions.Options.Options.Create(RecorderRun.OptionsFor(Output, "sqlite"))).Messages!;
        var page = await history.QueryAsync(new HistoryQuery(), CancellationToken.None);
        Assert.That((page.Entries.Count, page.NextCursor), Is.EqualTo((0, (long?)null)));
    }

    private async Task<IMessageHistory> RecordAsync(IEnumerable<Contracts.MqttApplicationMessage> messages, RecorderOptions? options = null)
    {
        options ??= RecorderRun.OptionsFor(Output, "sqlite");
        options.QueueCapacity = 1_000_000;
        var all = messages.ToArray();
        await using (var run = await RecorderRun.StartAsync(options))
        {
            run.Publish(all);
            await run.RecordedAsync(all.Length);
        }

        return new RecordedHistory(Microsoft.Extensions.Options.Options.Create(options)).Messages!;
    }
}

using System.Text;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Options;

namespace EmbeddedBroker.Web.Tests.Messages;

/// <summary>The ring of recent messages behind GET /api/messages.</summary>
[TestFixture]
public sealed class RecentMessageLogTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Keeps_the_newest_capacity_messages_newest_first()
    {
        var log = NewLog(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            log.OnMessageAccepted(Message("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Start.AddSeconds(i)));
        }

        var payloads = log.Query(null, null, 10).Select(m => Encoding.UTF8.GetString(m.Payload.Span));

        Assert.That(payloads, Is.EqualTo(new[] { "4", "3", "2" }));
        Assert.That(log.Count, Is.EqualTo(3));
    }

    [Test]
    public void Filters_by_topic_filter_since_and_limit()
    {
        var log = NewLog(capacity: 10);
        log.OnMessageAccepted(Message("a/x", "1", Start));
        log.OnMessageAccepted(Message("b/x", "2", Start.AddSeconds(1)));
        log.OnMessageAccepted(Message("a/y", "3", Start.AddSeconds(2)));
        log.OnMessageAccepted(Message("a/z", "4", Start.AddSeconds(3)));

        Assert.Multiple(() =>
        {
            Assert.That(Payloads(log.Query("a/+", null, 10)), Is.EqualTo(new[] { "4", "3", "1" }));
            Assert.That(Payloads(log.Query("a/+", Start.AddSeconds(2), 10)), Is.EqualTo(new[] { "4" }), "since is exclusive");
            Assert.That(Payloads(log.Query("#", null, 2)), Is.EqualTo(new[] { "4", "3" }));
        });
    }

    [Test]
    public void Wildcard_filter_does_not_match_dollar_topics_MQTT_4_7_2_1()
    {
        var log = NewLog(capacity: 10);
        log.OnMessageAccepted(Message("$app/status", "on", Start));

        Assert.That(log.Query("#", null, 10), Is.Empty);
        Assert.That(log.Query("$app/#", null, 10), Has.Count.EqualTo(1));
    }

    [Test]
    public void Broker_own_sys_reports_are_not_kept()
    {
        var log = NewLog(capacity: 10);

        log.OnMessageAccepted(new MqttApplicationMessage { Topic = "$SYS/broker/uptime", Payload = "5"u8.ToArray(), Source = MessageSource.System });

        Assert.That(log.Count, Is.Zero);
    }

    [Test]
    public void The_ring_is_bounded_in_bytes_and_the_oldest_messages_make_room()
    {
        var log = NewLog(capacity: 1000, maxBytes: 1024 * 1024);
        var payload = new byte[100_000];
        for (var i = 0; i < 50; i++)
        {
            log.OnMessageAccepted(new MqttApplicationMessage { Topic = $"big/{i}", Payload = payload, ReceivedAt = Start.AddSeconds(i) });
        }

        Assert.That(log.Bytes, Is.LessThanOrEqualTo(1024 * 1024));
        Assert.That(log.Count, Is.EqualTo(10), "ten of 100,000 bytes fit in 1 MiB with their overhead");
        Assert.That(log.Query(null, null, 1000).Select(m => m.Topic), Is.EqualTo(Enumerable.Range(40, 10).Reverse().Select(i => $"big/{i}")));
    }

    [Test]
    public async Task A_payload_over_an_eighth_of_the_bound_is_kept_as_its_preview_only()
    {
        var log = NewLog(capacity: 10, maxBytes: 1024 * 1024);
        log.OnMessageAccepted(Message("small", "kept whole", Start));
        log.OnMessageAccepted(new MqttApplicationMessage { Topic = "huge", Payload = new byte[200_000], ReceivedAt = Start.AddSeconds(1) });

        var page = await log.QueryAsync(new EmbeddedBroker.Recorder.History.HistoryQuery { PreviewBytes = 4096 }, CancellationToken.None);

        var huge = page.Entries[0];
        Assert.That((huge.Message.Topic, huge.PayloadBytes, huge.Message.Payload.Length), Is.EqualTo(("huge", 200_000, 4096)));
        Assert.That(log.Bytes, Is.LessThan(10_000));
        Assert.That(await log.GetAsync(huge.Id, CancellationToken.None), Is.Null, "not kept whole");
        Assert.That(Encoding.UTF8.GetString((await log.GetAsync(page.Entries[1].Id, CancellationToken.None))!.Payload.Span), Is.EqualTo("kept whole"));
    }

    [Test]
    public async Task Pages_follow_the_cursor_newest_first()
    {
        var log = NewLog(capacity: 100);
        for (var i = 0; i < 25; i++)
        {
            log.OnMessageAccepted(Message("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Start.AddSeconds(i)));
        }

        var seen = new List<string>();
        long? cursor = null;
        do
        {
            var page = await log.QueryAsync(new EmbeddedBroker.Recorder.History.HistoryQuery { Limit = 10, Before = cursor }, CancellationToken.None);
            seen.AddRange(page.Entries.Select(e => Encoding.UTF8.GetString(e.Message.Payload.Span)));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 25).Reverse().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static RecentMessageLog NewLog(int capacity, long maxBytes = 64 * 1024 * 1024) =>
        new(Microsoft.Extensions.Options.Options.Create(new WebOptions { Api = { RecentMessagesCapacity = capacity } }),
            Microsoft.Extensions.Options.Options.Create(new EmbeddedBroker.Web.Api.WebHistoryOptions { RecentMessagesMaxBytes = maxBytes }));

    private static MqttApplicationMessage Message(string topic, string payload, DateTimeOffset at) =>
        new() { Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), ReceivedAt = at };

    private static IEnumerable<string> Payloads(IEnumerable<MqttApplicationMessage> messages) =>
        messages.Select(m => Encoding.UTF8.GetString(m.Payload.Span));
}

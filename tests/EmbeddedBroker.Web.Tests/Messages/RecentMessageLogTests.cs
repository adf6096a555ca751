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

    private static RecentMessageLog NewLog(int capacity) =>
        new(Microsoft.Extensions.Options.Options.Create(new WebOptions { Api = { RecentMessagesCapacity = capacity } }));

    private static MqttApplicationMessage Message(string topic, string payload, DateTimeOffset at) =>
        new() { Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), ReceivedAt = at };

    private static IEnumerable<string> Payloads(IEnumerable<MqttApplicationMessage> messages) =>
        messages.Select(m => Encoding.UTF8.GetString(m.Payload.Span));
}

using EmbeddedBroker.Broker;
using EmbeddedBroker.LiveConsole;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.App.Tests.LiveConsole;

public class ConsoleFeedTests
{
    [Test]
    public void A_burst_shows_at_most_the_line_budget_and_counts_the_rest()
    {
        var feed = new ConsoleFeed(Options.Create(new LiveConsoleOptions { MaxLinesPerSecond = 20 })) { IsActive = true };

        for (var i = 0; i < 10_000; i++)
        {
            feed.OnMessageAccepted(new MqttApplicationMessage { Topic = "load/test" });
        }

        var shown = 0;
        while (feed.Shown.TryRead(out _))
        {
            shown++;
        }

        // The burst may straddle one second boundary: at most two budgets' worth of lines.
        Assert.That(shown, Is.InRange(1, 40));
        Assert.That(feed.Total, Is.EqualTo(10_000));
        Assert.That(feed.Skipped, Is.EqualTo(10_000 - shown));
    }

    [Test]
    public void Nothing_is_kept_while_the_console_is_off()
    {
        var feed = new ConsoleFeed(Options.Create(new LiveConsoleOptions()));

        feed.OnMessageAccepted(new MqttApplicationMessage { Topic = "a" });

        Assert.That(feed.Shown.TryRead(out _), Is.False);
        Assert.That(feed.Total, Is.EqualTo(1));
    }

    [Test]
    public void Sys_topics_are_not_shown_or_counted()
    {
        var feed = new ConsoleFeed(Options.Create(new LiveConsoleOptions())) { IsActive = true };

        feed.OnMessageAccepted(new MqttApplicationMessage { Topic = "$SYS/broker/uptime" });

        Assert.That(feed.Shown.TryRead(out _), Is.False);
        Assert.That(feed.Total, Is.Zero);
    }
}

using EmbeddedBroker.LiveConsole;

namespace EmbeddedBroker.App.Tests.LiveConsole;

/// <summary>The console's keys: q quits, p pauses, f types a filter (an MQTT filter, or text the topic contains).</summary>
public class ConsoleViewStateTests
{
    [Test]
    public void Q_requests_the_stop_and_p_toggles_pause()
    {
        var view = new ConsoleViewState();

        view.OnKey(Key('p'));
        Assert.That(view.Paused, Is.True);
        view.OnKey(Key('p'));
        Assert.That(view.Paused, Is.False);
        view.OnKey(Key('q'));
        Assert.That(view.QuitRequested, Is.True);
    }

    [TestCase("sensors/#", "sensors/temperature", true)]
    [TestCase("sensors/#", "home/door", false)]
    [TestCase("+/door", "home/door", true)]
    [TestCase("temp", "sensors/temperature", true)]
    [TestCase("temp", "sensors/humidity", false)]
    [TestCase("", "anything/at/all", true)]
    public void Typed_filter_selects_the_topics_shown(string filter, string topic, bool shown)
    {
        var view = new ConsoleViewState();
        view.OnKey(Key('f'));
        foreach (var c in filter)
        {
            view.OnKey(Key(c));
        }

        Assert.That(view.Typing, Is.EqualTo(filter), "shown while typing");
        view.OnKey(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false));

        Assert.That(view.Typing, Is.Null);
        Assert.That(view.Shows(topic), Is.EqualTo(shown));
    }

    [Test]
    public void Keys_typed_into_the_filter_are_not_commands_and_escape_cancels()
    {
        var view = new ConsoleViewState();
        view.OnKey(Key('f'));
        view.OnKey(Key('q'));
        view.OnKey(Key('p'));

        Assert.That(view.QuitRequested, Is.False);
        Assert.That(view.Paused, Is.False);
        view.OnKey(new ConsoleKeyInfo('\u001b', ConsoleKey.Escape, false, false, false));
        Assert.That(view.Filter, Is.Empty);
        Assert.That(view.Shows("a/b"), Is.True);
    }

    private static ConsoleKeyInfo Key(char c) => new(c, ConsoleKey.NoName, false, false, false);
}

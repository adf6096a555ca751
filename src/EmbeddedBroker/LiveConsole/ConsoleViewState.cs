using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// What the person at the terminal asked for: paused (the table stops scrolling; counting goes on) and a topic
/// filter (an MQTT filter such as sensors/# when it is one, otherwise any topic containing the text). Keys: q quits,
/// p pauses and resumes, f starts typing a filter (Enter applies it, an empty one clears it, Esc cancels).
/// </summary>
public sealed class ConsoleViewState
{
    private readonly System.Text.StringBuilder typing = new();

    public bool Paused { get; private set; }

    /// <summary>The filter in force, or empty for every topic.</summary>
    public string Filter { get; private set; } = "";

    /// <summary>The filter being typed after 'f', or null when not typing.</summary>
    public string? Typing => IsTyping ? typing.ToString() : null;

    public bool QuitRequested { get; private set; }

    private bool IsTyping { get; set; }

    public bool Shows(string topic) =>
        Filter.Length == 0
        || (MqttTopic.IsValidTopicFilter(Filter) && (Filter.Contains('#', StringComparison.Ordinal) || Filter.Contains('+', StringComparison.Ordinal))
            ? MqttTopic.Matches(Filter, topic)
            : topic.Contains(Filter, StringComparison.OrdinalIgnoreCase));

    /// <summary>Applies one key; true when the view must be redrawn.</summary>
    public bool OnKey(ConsoleKeyInfo key)
    {
        if (IsTyping)
        {
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Filter = typing.ToString().Trim();
                    IsTyping = false;
                    break;
                case ConsoleKey.Escape:
                    IsTyping = false;
                    break;
                case ConsoleKey.Backspace when typing.Length > 0:
                    typing.Length--;
                    break;
                default:
                    if (!char.IsControl(key.KeyChar) && typing.Length < 200)
                    {
                        typing.Append(key.KeyChar);
                    }

                    break;
            }

            return true;
        }

        switch (char.ToLowerInvariant(key.KeyChar))
        {
            case 'q':
                QuitRequested = true;
                return true;
            case 'p':
                Paused = !Paused;
                return true;
            case 'f':
                typing.Clear().Append(Filter);
                IsTyping = true;
                return true;
            default:
                return false;
        }
    }
}

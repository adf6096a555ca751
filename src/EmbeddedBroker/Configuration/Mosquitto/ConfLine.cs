using System.Globalization;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// One configuration line of a mosquitto.conf: the key (the first word) and what follows it, with the value readers
/// Mosquitto 2.0 uses (src/conf.c): words are separated by spaces only (never tabs); a string value is the rest of the
/// line, blanks trimmed; booleans are true/false/1/0. Stricter where Mosquitto is lax: numbers must be whole numbers
/// (Mosquitto's atoi reads "abc" as 0) and nothing but a comment may follow a one-word value (Mosquitto ignores it).
/// </summary>
internal sealed class ConfLine
{
    private readonly string[] words;

    public ConfLine(string file, int number, string key, string rest)
    {
        File = file;
        Number = number;
        Key = key;
        Rest = rest;
        words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The file as the user named it (or as include_dir found it), for messages.</summary>
    public string File { get; }

    public int Number { get; }

    public string Key { get; }

    /// <summary>Everything after the key and its space, trailing blanks already removed.</summary>
    public string Rest { get; }

    /// <summary>The value's words, as Mosquitto's strtok(" ") splits them.</summary>
    public IReadOnlyList<string> Words => words;

    /// <summary>"mosquitto.conf:7", for messages that point at this line.</summary>
    public string Where => $"{File}:{Number}";

    /// <summary>The one-line error every problem becomes: <c>FILE:LINE: KEY: what is wrong; what to do</c>.</summary>
    public MosquittoConfigurationException Error(string problem, string fix) => new(File, Number, Key, problem, fix);

    /// <summary>A string value (conf__parse_string): the rest of the line. Mosquitto keeps a trailing "# comment" as
    /// part of the value (a path "x # old" then fails to open); refused here so the mistake shows at its line.</summary>
    public string Text() => CheckedText(Rest.Trim(), $"{Key} VALUE");

    /// <summary>The rest of the line after its first word (e.g. the path of <c>log_dest file PATH</c>).</summary>
    public string TextAfterFirstWord()
    {
        var trimmed = Rest.TrimStart(' ');
        var first = words.Length > 0 ? words[0] : "";
        return CheckedText(trimmed[first.Length..].Trim(), $"{Key} {first} VALUE");
    }

    private string CheckedText(string text, string form)
    {
        if (text.Length == 0)
        {
            throw Error("no value", $"write `{form}`");
        }

        if (text.Contains(" #", StringComparison.Ordinal))
        {
            throw Error($"'{text}' has a comment after the value, which Mosquitto reads as part of the value",
                "put the comment on a line of its own (starting with #)");
        }

        return text;
    }

    /// <summary>The single word of a one-word value; only a comment may follow it.</summary>
    public string Word(string expected)
    {
        if (words.Length == 0)
        {
            throw Error("no value", $"write `{Key} {expected}`");
        }

        ExpectNoMoreWords(1, expected);
        return words[0];
    }

    /// <summary>Refuses a word after <paramref name="count"/> words unless it starts a comment.</summary>
    public void ExpectNoMoreWords(int count, string expected)
    {
        if (words.Length > count && !words[count].StartsWith('#'))
        {
            throw Error($"unexpected '{words[count]}' after the value",
                $"write `{Key} {expected}` (Mosquitto reads one value here and ignores the rest)");
        }
    }

    /// <summary>For keys that add one item per line (log_type, log_dest): a second item must go on its own line.</summary>
    public void ExpectOneValuePerLine()
    {
        if (words.Length > 1 && !words[1].StartsWith('#'))
        {
            throw Error($"unexpected '{words[1]}' after '{words[0]}' (Mosquitto reads one value per line and ignores the rest)",
                $"write `{Key} {words[1]}` on a line of its own");
        }
    }

    /// <summary>true/false, and Mosquitto's 1/0.</summary>
    public bool Boolean() => Word("true|false") switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw Error($"'{other}' is not a boolean", "use true or false"),
    };

    /// <summary>A whole number within [min, max]; <paramref name="range"/> says the allowed values in the message.</summary>
    public int Integer(int min, int max, string range)
    {
        var word = Word("N");
        if (!int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{word}' is not a whole number", $"use {range}");
        }

        if (value < min || value > max)
        {
            throw Error($"{value} is out of range", $"use {range}");
        }

        return value;
    }

    /// <summary>A TCP port, 1..65535, as Mosquitto checks it.</summary>
    public static bool TryParsePort(string word, out int port) =>
        int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}

namespace EmbeddedBroker.Security.Passwords;

/// <summary>How a line of a password file splits, shared by the broker's reader and the editor.</summary>
internal static class PasswordFileLine
{
    /// <summary>Comment lines start with '#' in the first column, as Mosquitto reads them.</summary>
    public static bool IsComment(string line) => line.StartsWith('#');

    public static bool IsBlank(string line) => string.IsNullOrWhiteSpace(line);

    /// <summary>
    /// "user:secret" with blanks trimmed around both, as mosquitto's misc__trimblanks does. False when there is no
    /// ':' or either side is empty; <paramref name="secret"/> may still contain ':' (the caller decides).
    /// </summary>
    public static bool TrySplit(string line, out string username, out string secret)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            username = "";
            secret = "";
            return false;
        }

        username = line[..colon].Trim();
        secret = line[(colon + 1)..].Trim();
        return username.Length > 0 && secret.Length > 0;
    }

    /// <summary>The lines of a file's text, without their "\n" or "\r\n".</summary>
    public static string[] SplitLines(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
        {
            lines = lines[..^1]; // the final newline ends the last line, it does not start another
        }
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }
        return lines;
    }
}

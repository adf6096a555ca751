using System.Text;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Editing;

/// <summary>
/// The text transformations behind mosquitto_passwd's update, delete and upgrade (pwfile_iterate and its callbacks),
/// on a file's text, with no I/O. Lines of other users are kept byte for byte. Two deliberate differences from
/// mosquitto_passwd 2.0.11: '#' comment lines and blank lines (which the broker accepts) are kept instead of being
/// reported as corrupt, and -U leaves lines that already hold a valid hash alone instead of hashing the hash.
/// </summary>
internal static class PasswordFileEdits
{
    public static string SetPassword(string text, string username, Func<string> newLine)
    {
        var found = false;
        var result = Rewrite(text, (user, _, line) =>
        {
            if (user != username)
            {
                return line;
            }
            found = true;
            return newLine();
        });
        return found ? result : result + newLine();
    }

    /// <summary>Removes every line of <paramref name="username"/>; false (and the text unchanged) when there is none.</summary>
    public static bool TryDelete(string text, string username, out string result)
    {
        var found = false;
        result = Rewrite(text, (user, _, line) =>
        {
            if (user != username)
            {
                return line;
            }
            found = true;
            return "";
        });
        return found;
    }

    public static string Upgrade(string text, Func<string, string, string> hashLine) =>
        Rewrite(text, (user, secret, line) => PasswordHash.TryParse(secret, out _, out _) ? line : hashLine(user, secret));

    /// <summary>A line as mosquitto_passwd writes it.</summary>
    public static string FormatLine(string username, PasswordHash hash) => $"{username}:{hash}\n";

    /// <summary>
    /// Calls <paramref name="edit"/> with (user, secret, raw line with its newline) for each entry and joins what it
    /// returns. The secret is what mosquitto's strtok yields: the trimmed text between the first and second ':'.
    /// </summary>
    private static string Rewrite(string text, Func<string, string, string, string> edit)
    {
        var output = new StringBuilder(text.Length + 128);
        var lineNumber = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var line = end < 0 ? text[start..] + "\n" : text[start..(end + 1)];
            start = end < 0 ? text.Length : end + 1;
            lineNumber++;

            var content = line.TrimEnd('\n', '\r');
            if (PasswordFileLine.IsComment(content) || PasswordFileLine.IsBlank(content))
            {
                output.Append(line);
                continue;
            }

            if (!PasswordFileLine.TrySplit(content, out var user, out var secret))
            {
                throw new PasswordFileEditException($"Error: Corrupt password file at line {lineNumber}.");
            }

            var secondColon = secret.IndexOf(':', StringComparison.Ordinal);
            if (secondColon >= 0)
            {
                secret = secret[..secondColon].Trim();
            }
            output.Append(edit(user, secret, line));
        }
        return output.ToString();
    }
}

using System.Text;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// Splits one mosquitto.conf into its configuration lines the way Mosquitto 2.0 reads them: a line whose first character
/// is '#' is a comment, an empty line is skipped, CR/LF endings are removed, and the key is the first space-separated
/// word (leading spaces are skipped). Lenient where it cannot change the meaning: a UTF-8 byte order mark and trailing
/// blanks are ignored, and so is a line of blanks (Mosquitto rejects a line holding only a tab). Stricter where
/// Mosquitto's reading surprises: an indented '#' is not a comment in Mosquitto ("Unknown configuration variable #"),
/// and a tab after the key makes the key unknown there, so both are refused with a message saying so.
/// </summary>
internal static class ConfFile
{
    /// <summary>No real configuration is this large; a larger file is a mistake (a log or a binary named -c).</summary>
    public const int MaximumBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<ConfLine> ReadLines(string displayName, string fullPath)
    {
        var bytes = ReadBytes(displayName, fullPath);
        var text = Decode(displayName, bytes);
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = ParseLine(displayName, index + 1, lines[index]);
            if (line is not null)
            {
                yield return line;
            }
        }
    }

    internal static ConfLine? ParseLine(string file, int number, string raw)
    {
        var text = raw.TrimEnd('\r', '\n', ' ', '\t');
        if (number == 1)
        {
            text = text.TrimStart('\uFEFF');
        }

        if (text.Length == 0 || text[0] == '#' || text.Trim().Length == 0)
        {
            return null;
        }

        var body = text.TrimStart(' ');
        var keyEnd = body.IndexOf(' ', StringComparison.Ordinal);
        var key = keyEnd < 0 ? body : body[..keyEnd];
        var rest = keyEnd < 0 ? "" : body[(keyEnd + 1)..];
        if (key.StartsWith('#'))
        {
            throw new MosquittoConfigurationException(file, number, key,
                "a comment must have its '#' in the first column (Mosquitto reads an indented '#' as an unknown key)",
                "remove the blanks before the '#'");
        }

        if (key.StartsWith('\t'))
        {
            var name = key.TrimStart('\t').Split('\t')[0];
            throw new MosquittoConfigurationException(file, number, name,
                "the line starts with a tab (Mosquitto reads the tab as part of the key and reports an unknown key)",
                "indent with spaces, or not at all");
        }

        if (key.Contains('\t', StringComparison.Ordinal))
        {
            var name = key[..key.IndexOf('\t', StringComparison.Ordinal)];
            throw new MosquittoConfigurationException(file, number, name,
                "the key is followed by a tab (Mosquitto separates words with spaces only and reports an unknown key)",
                "put a space between the key and its value");
        }

        return new ConfLine(file, number, key, rest);
    }

    private static byte[] ReadBytes(string displayName, string fullPath)
    {
        try
        {
            if (Directory.Exists(fullPath))
            {
                throw new MosquittoConfigurationException($"{displayName}: is a folder; give the path of the mosquitto.conf file.");
            }

            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                throw new MosquittoConfigurationException($"{displayName}: the file does not exist; check the path given to -c (or include_dir).");
            }

            if (info.Length > MaximumBytes)
            {
                throw new MosquittoConfigurationException(
                    $"{displayName}: the file has {info.Length:N0} bytes, more than a configuration ever needs ({MaximumBytes:N0}); check that -c names the mosquitto.conf.");
            }

            return File.ReadAllBytes(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MosquittoConfigurationException($"{displayName}: cannot be read ({ex.Message}); check the path and its permissions.", ex);
        }
    }

    private static string Decode(string displayName, byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            // Mosquitto refuses malformed UTF-8 in string values too; find the line for the message.
            var line = 1 + bytes.AsSpan(0, Math.Clamp(ex.Index, 0, bytes.Length)).Count((byte)'\n');
            throw new MosquittoConfigurationException($"{displayName}:{line}: the line is not valid UTF-8; save the file as UTF-8.", ex);
        }
    }
}

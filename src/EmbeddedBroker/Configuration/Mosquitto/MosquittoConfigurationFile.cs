namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>Tells a mosquitto.conf from a JSON settings file, so that <c>-c FILE</c> takes either.</summary>
public static class MosquittoConfigurationFile
{
    /// <summary>
    /// Decided by content, not by name: a JSON settings file starts with '{' (or a // or /* comment, which the JSON
    /// configuration provider allows) after blanks and a byte order mark; anything else, an empty file included, is
    /// read as a mosquitto.conf. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the
    /// file cannot be read.
    /// </summary>
    public static bool IsMosquittoConf(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        int next;
        while ((next = reader.Read()) >= 0)
        {
            var c = (char)next;
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                continue;
            }

            return c switch
            {
                '{' => false,
                '/' => reader.Peek() is not ('/' or '*'),
                _ => true,
            };
        }

        return true;
    }
}

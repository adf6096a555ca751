namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// Recognises Mosquitto's own persistence file (mosquitto.db) by its 15-byte header, so that persistence_location and
/// persistence_file never point the SQLite store at it: the store would find a file it cannot read and move it aside,
/// and Mosquitto would lose its saved state if the user went back.
/// </summary>
internal static class MosquittoDatabase
{
    private static ReadOnlySpan<byte> Magic => [0x00, 0xB5, 0x00, (byte)'m', (byte)'o', (byte)'s', (byte)'q', (byte)'u', (byte)'i', (byte)'t', (byte)'t', (byte)'o', (byte)' ', (byte)'d', (byte)'b'];

    public static bool IsMosquittoDatabase(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[Magic.Length];
            return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.SequenceEqual(Magic);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // missing or unreadable: the store reports it with its own message
        }
    }

    public static void RefuseIfMosquittoDatabase(string storePath, ConfLine line)
    {
        if (IsMosquittoDatabase(storePath))
        {
            throw line.Error($"{storePath} is Mosquitto's own database, which EmbeddedBroker cannot read (its store is SQLite)",
                $"name another file with `persistence_file {ConfBroker.DefaultStoreFile}` and keep mosquitto.db for Mosquitto");
        }
    }
}

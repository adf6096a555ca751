using System.Security.Cryptography;
using System.Text;

namespace EmbeddedBroker.Security.Editing;

/// <summary>
/// Replaces a file's content in one step: the new text goes to a temporary file in the same directory, is flushed to
/// disk, gets the old file's permissions (0600 for a new file, as mosquitto_passwd 2.0.x creates it under umask 077),
/// then is renamed over the old one. A reader (the broker reloading) sees the old file or the new one, never half of
/// either; a crash leaves the old file. Mosquitto's own tool rewrites in place after a backup copy instead.
/// The new file belongs to the user who ran the command (a rename cannot keep another owner).
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteAllText(string path, string text)
    {
        path = ResolveLinks(path); // replace the link's target, never the link itself
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = NewFileMode; // never readable by others, even while it is being written
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.Exists(path) ? File.GetUnixFileMode(path) : NewFileMode);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The file a path designates, through symbolic links (mosquitto_passwd edits realpath(FILE)).</summary>
    public static string ResolveLinks(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }
}

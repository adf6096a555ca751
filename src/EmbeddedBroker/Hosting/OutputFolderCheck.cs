using EmbeddedBroker.Recorder.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Before any listener opens: the recorder's folder exists (or is created) and a file can be written in it, and the
/// files it will append to, if they exist, can be opened for writing. Otherwise start-up stops with one line, instead
/// of a broker that accepts messages it cannot record.
/// </summary>
internal static class OutputFolderCheck
{
    public static void Check(RecorderOptions options, IEnumerable<string> files)
    {
        if (!options.Enabled)
        {
            return;
        }

        var basePath = Path.GetFullPath(options.Output);
        var folder = Path.GetDirectoryName(basePath) ?? basePath;
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".embeddedbroker-write-check-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            foreach (var file in files.Where(File.Exists))
            {
                using var existing = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"Recorder:Output '{options.Output}': cannot write in {folder} ({ex.Message.TrimEnd('.')}): make the folder writable by user '{Environment.UserName}', or choose another with --output PATH.",
                ex);
        }
    }
}

using System.Globalization;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>
/// The process's open-file limit and how many descriptors it holds, read from /proc (Linux). The .NET runtime raises
/// the soft limit to the hard one at start, so the soft limit read here is the one that applies.
/// </summary>
public readonly record struct FileDescriptorLimit(long Limit, long Open)
{
    /// <summary>Null where /proc is not there (not Linux) or the limit is "unlimited".</summary>
    public static FileDescriptorLimit? Read()
    {
        try
        {
            var limit = ReadSoftLimit();
            return limit is null ? null : new FileDescriptorLimit(limit.Value, Directory.GetFileSystemEntries("/proc/self/fd").LongLength);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The "Max open files" line of /proc/self/limits: name, soft, hard, unit.</summary>
    private static long? ReadSoftLimit()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var words = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length > 0 && long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }

        return null;
    }
}

using System.Globalization;

namespace EmbeddedBroker.Fuzz;

/// <summary>The resident set size of another process, from /proc/PID/status (VmRSS), in MiB; null once it is gone.</summary>
internal static class ProcessMemory
{
    public static double? ResidentMiB(int? pid)
    {
        if (pid is not { } id)
            return null;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
            // The process exited.
        }

        return null;
    }

    public static bool IsAlive(int? pid) => pid is not { } id || Directory.Exists($"/proc/{id}");
}

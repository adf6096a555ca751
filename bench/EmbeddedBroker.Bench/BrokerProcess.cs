using System.Globalization;

namespace EmbeddedBroker.Bench;

/// <summary>
/// What /proc (Linux) says about the broker process under test: resident memory and CPU time. The bench and the
/// broker are separate processes, so these figures are the broker's alone.
/// </summary>
internal sealed class BrokerProcess(int pid)
{
    /// <summary>USER_HZ, the unit of utime/stime in /proc/PID/stat: sysconf(_SC_CLK_TCK) is 100 on every Linux the
    /// project runs on (x86-64, arm64), and .NET has no API for it.</summary>
    public const int ClockTicksPerSecond = 100;

    public int Pid { get; } = pid;

    /// <summary>VmRSS from /proc/PID/status, in KiB.</summary>
    public long ReadRssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No VmRSS in /proc/{Pid}/status.");
    }

    /// <summary>
    /// utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks: CPU the process used in user and kernel
    /// mode, threads that already exited included.
    /// </summary>
    public long ReadCpuTicks()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // Field 2 is the command name in parentheses and may contain spaces: count fields after its closing ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// On-CPU nanoseconds of each live thread (first field of /proc/PID/task/TID/schedstat): finer than the 10 ms ticks
    /// of <see cref="ReadCpuTicks"/>, but a thread that exits takes its time with it, so a window is only exact when
    /// every thread seen at its start is still there at its end.
    /// </summary>
    public Dictionary<int, long> ReadThreadCpuNanoseconds()
    {
        var threads = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                var schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                    long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ')), CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread exited while the folder was listed.
            }
        }

        return threads;
    }

    public static double TicksToMicroseconds(long ticks) => ticks * 1_000_000.0 / ClockTicksPerSecond;
}

using System.Globalization;
using EmbeddedBroker.Recorder;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// After the host stopped: did the recorder write every message it should have? Those it did not are the ones dropped
/// while it ran (queue full) plus the ones still queued when it gave up (the disk kept failing until the stop). Any of
/// them makes the exit code 1 and one line on stderr says how many, so a lost recording is never a silent exit 0.
/// </summary>
internal static class RecorderStopReport
{
    public const int ExitCode = 1;

    /// <summary>The line for stderr, or null when everything was recorded.</summary>
    public static string? Describe(RecorderStatistics statistics, IEnumerable<string> files)
    {
        var dropped = statistics.Dropped;
        var unwritten = Unwritten(statistics);
        if (dropped + unwritten == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (dropped > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{dropped:N0} dropped while the recorder queue was full"));
        }

        if (unwritten > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{unwritten:N0} not written before the stop"));
        }

        var cause = statistics.LastError is { } error ? $"; last write error: {error}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"EmbeddedBroker stopped, but {dropped + unwritten:N0} message(s) were not recorded ({string.Join(", ", parts)}){cause}. They are missing from {string.Join(", ", files)}.");
    }

    /// <summary>Accepted into the queue but never committed to the files (the writer gave up at the stop).</summary>
    private static long Unwritten(RecorderStatistics statistics) => Math.Max(0, statistics.Enqueued - statistics.Recorded);
}

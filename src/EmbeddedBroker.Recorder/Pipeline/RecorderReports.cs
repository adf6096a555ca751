using EmbeddedBroker.Recorder.Outputs;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// What the writer tells the operator. Drops and write errors can repeat thousands of times a second (a flood, a full
/// disk), so each is logged at most once per interval, with the count since the line before, and a write error's stack
/// trace at most once per <see cref="FailureLogThrottle.StackTraceInterval"/> (<see cref="FailureLogThrottle"/>); the
/// rest are one-off events. Only the writer loop uses it.
/// </summary>
internal sealed class RecorderReports(ILogger logger, RecorderStatistics statistics, RecordQueue queue, RecordOutputSet files, TimeSpan interval)
{
    private readonly long intervalMs = (long)interval.TotalMilliseconds;
    private long lastDropReportAt = long.MinValue;
    private long droppedAtLastReport;
    private readonly FailureLogThrottle writeErrors = new(interval);

    /// <summary>Recorder:FlushIntervalMs, but at least one second: how often a repeated problem may be logged.</summary>
    public static TimeSpan IntervalFor(TimeSpan flushInterval) => flushInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : flushInterval;

    /// <summary>Logs the messages dropped since the last line, unless one was logged less than an interval ago (<paramref name="force"/>: at the end).</summary>
    public void Drops(bool force = false)
    {
        var now = Environment.TickCount64;
        var dropped = statistics.Dropped;
        if (dropped == droppedAtLastReport || (!force && !IsDue(lastDropReportAt, now)))
        {
            return;
        }

        logger.LogWarning("Recorder: {Count} message(s) not recorded because the queue was full (capacity {Capacity}, {Policy}); {Total} since start. "
            + "The disk is too slow or failing, or Recorder:QueueCapacity is too small",
            dropped - droppedAtLastReport, queue.Capacity, queue.Policy, dropped);
        droppedAtLastReport = dropped;
        lastDropReportAt = now;
    }

    /// <summary>Counts a failed attempt to write; logs it with the attempts since the last line, at most once per interval,
    /// with the stack trace only now and then.</summary>
    public void WriteError(Exception failure)
    {
        if (!writeErrors.TryReport(out var failures, out var withStackTrace))
        {
            return;
        }

        logger.LogError(withStackTrace ? failure : null, "Recorder: cannot write {Files} ({Reason}); {Failures} failed attempt(s), retrying with back-off. "
            + "{Queued} message(s) waiting; the broker keeps running and drops what does not fit in the queue",
            FileList, $"{failure.GetType().Name}: {failure.Message}", failures, queue.Count + files.UncommittedCount);
    }

    /// <summary>Writing works again: says so once, and the next failure is logged at once.</summary>
    public void Recovered(int attempts)
    {
        logger.LogInformation("Recorder: writing to {Files} works again after {Attempts} failed attempt(s)", FileList, attempts);
        writeErrors.Reset();
    }

    public void Lost(long count) =>
        logger.LogError("Recorder: stopped before {Count} queued message(s) could be written; they are not in {Files}", count, FileList);

    public void WriterCrashed(Exception error) =>
        logger.LogCritical(error, "Recorder: the writer stopped unexpectedly; messages are no longer recorded");

    private string FileList => string.Join(", ", files.FilePaths);

    private bool IsDue(long lastReportAt, long now) => lastReportAt == long.MinValue || now - lastReportAt >= intervalMs;
}

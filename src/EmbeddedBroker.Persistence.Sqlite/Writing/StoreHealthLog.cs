using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Sqlite.Writing;

/// <summary>
/// The writer's log lines about failures, never one per change or per attempt: the first failure of a streak at once,
/// then at most one summary per <see cref="ReportInterval"/> with counts, and one line when writing works again.
/// Dropped changes likewise: one line per interval with the number dropped since the last one.
/// </summary>
internal sealed class StoreHealthLog(ILogger logger, string path, TimeProvider time)
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private long streakStartedAt;
    private long failuresInStreak;
    private long failuresSinceReport;
    private long lastFailureReportAt;
    private long droppedReported;
    private long lastDropReportAt;

    public bool Failing => failuresInStreak > 0;

    public void WriteFailed(Exception error, long pendingChanges, long pendingBytes)
    {
        var now = time.GetTimestamp();
        failuresInStreak++;
        failuresSinceReport++;
        if (failuresInStreak == 1)
        {
            streakStartedAt = now;
            lastFailureReportAt = now;
            failuresSinceReport = 0;
            logger.LogError("Store {Path}: writing failed ({Error}); the broker goes on from memory, {Pending} changes ({PendingBytes} bytes) are kept and retried",
                path, error.Message, pendingChanges, pendingBytes);
        }
        else if (time.GetElapsedTime(lastFailureReportAt, now) >= ReportInterval)
        {
            logger.LogError("Store {Path}: still failing, {Failures} more failed attempts in {Interval}; {Pending} changes ({PendingBytes} bytes) waiting; last error: {Error}",
                path, failuresSinceReport, time.GetElapsedTime(lastFailureReportAt, now), pendingChanges, pendingBytes, error.Message);
            lastFailureReportAt = now;
            failuresSinceReport = 0;
        }
    }

    /// <summary>A commit succeeded: closes a failure streak with one line.</summary>
    public void Written(long changes)
    {
        if (failuresInStreak == 0)
        {
            return;
        }
        logger.LogWarning("Store {Path}: writing again after {Failures} failed attempts over {Duration}; caught up with {Changes} changes",
            path, failuresInStreak, time.GetElapsedTime(streakStartedAt), changes);
        failuresInStreak = 0;
    }

    /// <summary>Called on every writer turn with the running total of dropped changes.</summary>
    public void ReportDropped(long droppedTotal, int maximumChanges, long maximumBytes, bool canResynchronise)
    {
        if (droppedTotal == droppedReported)
        {
            return;
        }
        var now = time.GetTimestamp();
        if (droppedReported != 0 && time.GetElapsedTime(lastDropReportAt, now) < ReportInterval)
        {
            return;
        }
        logger.LogError("Store {Path}: {Dropped} changes dropped (pending changes beyond {MaximumChanges} changes or {MaximumBytes} bytes); " +
            "the store is degraded: {Repair}",
            path, droppedTotal - droppedReported, maximumChanges, maximumBytes,
            canResynchronise ? "the broker's whole state will be written again once the store can write"
                : "until the next restart the file may lack those changes (see docs/persistence.md)");
        droppedReported = droppedTotal;
        lastDropReportAt = now;
    }
}

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// How a failure that can repeat for hours (a full disk, a folder made read-only) is logged: at most one line per
/// interval, standing for every failure since the line before, and the exception with its full stack trace on at most
/// one line per <see cref="StackTraceInterval"/>; the lines between are one-line summaries (their text names the
/// reason). The first failure is logged at once with its stack trace. Used by one thread at a time (the writer loop).
/// </summary>
internal sealed class FailureLogThrottle(TimeSpan interval, TimeProvider time)
{
    /// <summary>How often a stack trace may be repeated: enough to find it in the log, few enough to read the log.</summary>
    public static readonly TimeSpan StackTraceInterval = TimeSpan.FromMinutes(10);

    private long? lastLineAt;
    private long? lastStackTraceAt;
    private int failuresSinceLine;

    public FailureLogThrottle(TimeSpan interval)
        : this(interval, TimeProvider.System)
    {
    }

    /// <summary>Counts one failure; true when a line is due now, with how many failures it stands for (this one included)
    /// and whether it carries the stack trace.</summary>
    public bool TryReport(out int failures, out bool withStackTrace)
    {
        failuresSinceLine++;
        var now = time.GetTimestamp();
        if (lastLineAt is { } lineAt && time.GetElapsedTime(lineAt, now) < interval)
        {
            failures = 0;
            withStackTrace = false;
            return false;
        }

        failures = failuresSinceLine;
        withStackTrace = lastStackTraceAt is not { } stackAt || time.GetElapsedTime(stackAt, now) >= StackTraceInterval;
        failuresSinceLine = 0;
        lastLineAt = now;
        if (withStackTrace)
        {
            lastStackTraceAt = now;
        }

        return true;
    }

    /// <summary>It works again: the next failure gets its line at once (its stack trace only if none came lately).</summary>
    public void Reset()
    {
        lastLineAt = null;
        failuresSinceLine = 0;
    }
}

using EmbeddedBroker.Recorder.Outputs;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// What the writer does when the files fail (folder not writable, disk full): closes them, waits, reopens them
/// (truncated back to their last commit) and writes the uncommitted batches again, with a pause doubling from 100 ms up
/// to Recorder:RetryMaxDelayMs, until it works or the recorder is aborted. Meanwhile the queue fills and its policy applies.
/// </summary>
internal sealed class WriteRetry(RecordOutputSet files, RecorderStatistics statistics, RecorderReports reports, TimeSpan maxDelay)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns once the uncommitted messages are committed; throws <see cref="OperationCanceledException"/> when aborted.</summary>
    public async Task RecoverAsync(Exception failure, CancellationToken cancellation)
    {
        var delay = FirstDelay;
        var attempts = 0;
        while (true)
        {
            attempts++;
            statistics.AddWriteError(failure);
            reports.WriteError(failure);
            files.Abandon();
            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
            reports.Drops();
            try
            {
                files.ReplayAndCommit();
                reports.Recovered(attempts);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failure = error;
            }
        }
    }
}

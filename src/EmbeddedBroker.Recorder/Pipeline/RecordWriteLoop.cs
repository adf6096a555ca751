using System.Diagnostics.CodeAnalysis;
using EmbeddedBroker.Recorder.Outputs;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// The recorder's single writer: drains the queue in batches into the files and commits them at least every
/// FlushIntervalMs, at once when a publisher waits for its acknowledgement, when a batch is full, and when the queue
/// is completed (stop), which drains it whole. A failure goes to <see cref="WriteRetry"/>; the messages are kept.
/// </summary>
internal sealed class RecordWriteLoop(RecordQueue queue, RecordOutputSet files, WriteRetry retry, RecorderReports reports, TimeSpan flushInterval)
{
    /// <summary>Upper bound of messages kept for replay between two commits (memory bound under a flood).</summary>
    private const int MaxMessagesPerCommit = 65_536;

    /// <summary>
    /// Upper bound of formatted bytes per file between two commits: a commit is one write per file of the whole batch
    /// (see RecordFile), so this bounds the batch memory when messages are large.
    /// </summary>
    private const int MaxBytesPerCommit = 8 * 1024 * 1024;

    private const string StoppedReason = "The recorder stopped before writing the message.";

    private readonly long flushIntervalMs = (long)flushInterval.TotalMilliseconds;

    /// <summary>The message being retried: out of the queue and not in the batches, so giving up must not forget it.</summary>
    private QueuedMessage? retrying;

    /// <summary>Runs until the queue is completed and drained, or <paramref name="cancellation"/> aborts (then gives up on what is left).</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        var reader = queue.Reader;
        var lastCommitAt = Environment.TickCount64;
        try
        {
            while (true)
            {
                var acknowledgementPending = false;
                while (AppendQueued(ref acknowledgementPending) is { } failed)
                {
                    await AppendAfterFailureAsync(failed, cancellation).ConfigureAwait(false);
                }

                var drained = reader.Completion.IsCompleted;
                if (files.UncommittedCount > 0
                    && (drained || acknowledgementPending || BatchIsFull() || Environment.TickCount64 - lastCommitAt >= flushIntervalMs))
                {
                    await CommitAsync(cancellation).ConfigureAwait(false);
                    lastCommitAt = Environment.TickCount64;
                }

                reports.Drops();
                if (drained)
                {
                    break;
                }

                if (files.UncommittedCount == 0)
                {
                    await reader.WaitToReadAsync(cancellation).ConfigureAwait(false);
                    lastCommitAt = Environment.TickCount64; // the interval starts with the next message, not with the idle wait
                }
                else
                {
                    // Not woken per message: the messages of the interval wait in the queue (see RecordQueue).
                    var remaining = lastCommitAt + flushIntervalMs - Environment.TickCount64;
                    await queue.WaitForPromptAsync(TimeSpan.FromMilliseconds(Math.Max(0, remaining)), cancellation).ConfigureAwait(false);
                }
            }

            files.Dispose();
            reports.Drops(force: true);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            GiveUp();
        }
        catch (Exception error)
        {
            reports.WriterCrashed(error);
            GiveUp();
        }
    }

    /// <summary>
    /// Moves queued messages into the batches until the queue is empty or the batch is full; stops at a message that
    /// could not be appended and returns it. The per-message loop lives in this synchronous method rather than in the
    /// never-ending async loop, which the JIT would only run as on-stack-replaced code.
    /// </summary>
    private FailedAppend? AppendQueued(ref bool acknowledgementPending)
    {
        while (!BatchIsFull() && queue.TryRead(out var item))
        {
            acknowledgementPending |= item.Recorded is not null;
            if (!TryAppend(item, out var failure, out var added))
            {
                return new FailedAppend(item, failure, added);
            }
        }

        return null;
    }

    private bool BatchIsFull() => files.UncommittedCount >= MaxMessagesPerCommit || files.PendingBytes >= MaxBytesPerCommit;

    /// <summary>The per-message path: synchronous, so a message costs no allocation (no async state machine).</summary>
    /// <param name="added">True when the message reached the uncommitted batches (a recovery then replays it).</param>
    private bool TryAppend(in QueuedMessage item, [NotNullWhen(false)] out Exception? failure, out bool added)
    {
        added = false;
        try
        {
            if (item.DeliveredTo is not null)
            {
                files.AppendDelivery(item.AsDelivery());
                added = true;
                failure = null;
                return true;
            }

            files.RotateIfNewDay(item.Message.ReceivedAt);
            files.Append(item.Message, item.Recorded); // throws before formatting the message, or formats it into every batch
            added = true;
            failure = null;
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            failure = error;
            return false;
        }
    }

    /// <summary>A message <see cref="TryAppend"/> could not append (the files failed), for the recovery.</summary>
    private readonly record struct FailedAppend(QueuedMessage Item, Exception Failure, bool Added);

    private async Task AppendAfterFailureAsync(FailedAppend failed, CancellationToken cancellation)
    {
        var (item, failure, added) = failed;
        retrying = added ? null : item;
        while (true)
        {
            await retry.RecoverAsync(failure, cancellation).ConfigureAwait(false);
            if (added || TryAppend(item, out var next, out added))
            {
                retrying = null;
                return; // an added message was replayed by the recovery
            }

            failure = next;
        }
    }

    private async ValueTask CommitAsync(CancellationToken cancellation)
    {
        try
        {
            files.Commit();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await retry.RecoverAsync(error, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Shutdown gave up (timeout) or the writer crashed: count and report what will not be recorded.</summary>
    private void GiveUp()
    {
        queue.Complete();
        long lost = files.DiscardUncommitted(StoppedReason);
        if (retrying is { } held)
        {
            lost++;
            held.Fail(StoppedReason);
            retrying = null;
        }

        while (queue.TryRead(out var item))
        {
            lost++;
            item.Fail(StoppedReason);
        }

        files.Abandon();
        if (lost > 0)
        {
            reports.Lost(lost);
        }
    }
}

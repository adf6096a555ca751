using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Persistence.Sqlite.Changes;
using EmbeddedBroker.Persistence.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Sqlite.Writing;

/// <summary>
/// The one thread that writes the store. Each turn it drains the pending changes into a coalescing batch and commits
/// it in one transaction: at least every FlushInterval, at once when a <c>FlushedAsync</c> waits (group commit: every
/// waiter queued by then shares the commit), and until nothing is left when stopping. A commit that fails keeps its
/// batch, faults its waiters, drops the connection and is retried with back-off (the buffer bounds what piles up).
/// After changes were dropped it rewrites the whole state from the engine's snapshot, when one is offered.
/// </summary>
internal sealed partial class StoreWriter(
    StoreFile file, ChangeBuffer buffer, PersistenceOptions options, PersistenceStatistics statistics, ILogger logger, TimeProvider time)
    : IDisposable
{
    /// <summary>Bounds one transaction (its duration and the batch's memory); more waiting changes go in the next one at once.</summary>
    private const int MaximumChangesPerCommit = 65_536;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StoppingRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FileSizeInterval = TimeSpan.FromSeconds(1);

    private readonly StoreHealthLog health = new(logger, file.FullPath, time);
    private readonly ManualResetEventSlim wake = new(false);
    private readonly ManualResetEventSlim stopSignal = new(false);
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChangeBatch batch = new(buffer);
    private BatchCommitter? committer;
    private bool fileIsOurs;
    private bool fileLost;
    private Thread? thread;
    private volatile bool stopping;
    private long stopDeadline;
    private bool stampedAtStop;
    private DateTimeOffset lastCommitAt;

    /// <summary>When the last drain started (a <see cref="TimeProvider"/> timestamp) and how long the last commit took,
    /// capped at half the interval: the next drain is scheduled from both.</summary>
    private long lastDrainAt;
    private TimeSpan lastCommitDuration;
    private long lastFileSizeAt;

    /// <summary>Set by the engine (through the store): its whole state, for rewriting the file after changes were dropped.</summary>
    public Func<StoredBrokerState>? SnapshotSource { get; set; }

    /// <summary>Starts the thread; <paramref name="opened"/> is null when the file could not be opened at start (it is
    /// then opened late, by a retry).</summary>
    public void Start(OpenedStore? opened)
    {
        committer = opened is null ? null : new BatchCommitter(opened);
        fileIsOurs = opened is not null;
        lastCommitAt = time.GetUtcNow();
        thread = new Thread(Run) { IsBackground = true, Name = "broker-store-writer" };
        thread.Start();
    }

    /// <summary>Commit soon: a waiter is queued or the buffer is half full.</summary>
    public void Wake()
    {
        try
        {
            wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // A change racing the store's disposal: the buffer refuses it anyway.
        }
    }

    /// <summary>After <see cref="StopAsync"/> has finished.</summary>
    public void Dispose()
    {
        wake.Dispose();
        stopSignal.Dispose();
    }

    /// <summary>Writes everything still pending, retrying a failing disk until <paramref name="deadline"/> has passed, then
    /// closes the file.</summary>
    public Task StopAsync(TimeSpan deadline)
    {
        Interlocked.Exchange(ref stopDeadline, time.GetTimestamp() + (long)(deadline.TotalSeconds * time.TimestampFrequency));
        stopping = true;
        stopSignal.Set();
        wake.Set();
        return thread is null ? Task.CompletedTask : finished.Task;
    }

    private void Run()
    {
        var retryDelay = TimeSpan.Zero;
        var moreWaiting = false;
        try
        {
            while (true)
            {
                if (!moreWaiting)
                {
                    WaitForTurn(retryDelay);
                }
                lastDrainAt = time.GetTimestamp();
                moreWaiting = !Drain();
                health.ReportDropped(statistics.DroppedChanges, options.MaximumPendingChanges, options.MaximumPendingBytes, SnapshotSource is not null);
                if (CommitDue())
                {
                    retryDelay = TryCommit() ? TimeSpan.Zero : NextDelay(retryDelay);
                    if (retryDelay != TimeSpan.Zero && stopping && time.GetTimestamp() > Interlocked.Read(ref stopDeadline))
                    {
                        GiveUp();
                        break;
                    }
                }
                if (stopping && !moreWaiting && batch.IsEmpty && retryDelay == TimeSpan.Zero && stampedAtStop)
                {
                    break;
                }
                moreWaiting &= retryDelay == TimeSpan.Zero;
            }
        }
        catch (Exception error)
        {
            // A bug, not a storage fault (those are caught per commit): say so loudly rather than die silently.
            logger.LogCritical(error, "Store {Path}: the writer stopped; changes are no longer written", file.FullPath);
            buffer.Close();
        }
        finally
        {
            Close();
            finished.TrySetResult();
        }
    }

    private void WaitForTurn(TimeSpan retryDelay)
    {
        if (stopping)
        {
            if (retryDelay != TimeSpan.Zero) Thread.Sleep(StoppingRetryDelay);
        }
        else if (retryDelay != TimeSpan.Zero)
        {
            // Back-off: waiters arriving meanwhile do not shorten it (they would hammer a full disk); a stop does.
            stopSignal.Wait(retryDelay);
        }
        else
        {
            wake.Wait(UntilNextDrain());
        }
        wake.Reset();
    }

    /// <summary>Moves pending changes into the batch, up to the per-commit bound; false when some are left waiting.</summary>
    private bool Drain()
    {
        while (batch.ChangesTaken + batch.Barriers.Count < MaximumChangesPerCommit)
        {
            if (!buffer.TryTake(out var change))
            {
                return true;
            }
            batch.Add(change);
        }
        return buffer.IsQueueEmpty;
    }

    /// <summary>
    /// Drains start at a fixed cadence, FlushInterval apart, and each one early by the duration of the last commit: a
    /// change handed over just after a drain is then durable about FlushInterval later (the next drain plus its commit),
    /// not FlushInterval plus two commits — the loss window a kill -9 can cost stays the flush interval under load too.
    /// </summary>
    private TimeSpan UntilNextDrain()
    {
        var sinceLastDrain = time.GetElapsedTime(lastDrainAt);
        var wait = options.FlushInterval - sinceLastDrain - lastCommitDuration;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private bool CommitDue() =>
        !batch.IsEmpty || ResynchronisationDue() || (stopping && !stampedAtStop) ||
        time.GetUtcNow() - lastCommitAt >= options.AliveInterval;

    private bool TryCommit()
    {
        var opening = true;
        try
        {
            committer ??= OpenAgain();
            opening = false;
            if (ResynchronisationDue())
            {
                Resynchronise();
            }
            var changes = batch.ChangesTaken;
            var at = time.GetUtcNow();
            var duration = committer.Commit(batch, at);
            lastCommitAt = at;
            lastCommitDuration = duration < options.FlushInterval / 2 ? duration : options.FlushInterval / 2;
            stampedAtStop = stopping;
            // Released before the waiters hear of it, so that they see the pending figures without this batch.
            var waiters = batch.TakeBarriers();
            batch.Clear();
            CompleteBarriers(waiters);
            statistics.AddCommit(changes, at, duration);
            health.Written(changes);
            UpdateFileSize();
            return true;
        }
        catch (Exception error)
        {
            OnFailure(error, opening);
            return false;
        }
    }

    private BatchCommitter OpenAgain()
    {
        var opened = fileIsOurs ? file.Reopen() : file.OpenLate();
        if (opened.Created && fileIsOurs)
        {
            logger.LogError("Store {Path} had disappeared and was created again, empty", file.FullPath);
            fileLost = true;
            statistics.SetDegraded(true);
        }
        fileIsOurs = true;
        return new BatchCommitter(opened);
    }

    private void CompleteBarriers(List<FlushBarrier> committed)
    {
        foreach (var barrier in committed)
        {
            if (barrier.DroppedBefore > droppedRepaired)
            {
                barrier.Fault(new StoreNotDurableException(
                    $"The broker store {file.FullPath} dropped changes (pending buffer full) and has not been rewritten since."));
            }
            else
            {
                barrier.Complete();
            }
        }
    }

    private static void FaultBarriers(ChangeBatch failed, Exception error)
    {
        foreach (var barrier in failed.TakeBarriers())
        {
            barrier.Fault(error);
        }
    }

    private void UpdateFileSize()
    {
        var now = time.GetTimestamp();
        if (lastFileSizeAt != 0 && time.GetElapsedTime(lastFileSizeAt, now) < FileSizeInterval)
        {
            return;
        }
        lastFileSizeAt = now;
        statistics.SetFileBytes(LengthOf(file.FullPath) + LengthOf(file.FullPath + "-wal"));
    }

    private static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private void Close()
    {
        if (committer is null)
        {
            return;
        }
        try
        {
            committer.Checkpoint();
            UpdateFileSize();
        }
        catch (Exception error) when (error is SqliteException or IOException)
        {
            logger.LogWarning("Store {Path}: final checkpoint failed ({Error}); the -wal file beside it holds the last commits", file.FullPath, error.Message);
        }
        committer.Dispose();
        committer = null;
    }
}

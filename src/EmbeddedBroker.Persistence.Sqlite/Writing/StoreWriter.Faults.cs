using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Persistence.Sqlite.Changes;
using EmbeddedBroker.Persistence.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Sqlite.Writing;

/// <summary>
/// What the writer does when things go wrong. A failed commit keeps its batch and is retried with back-off, except a
/// batch the database itself refuses; at a stop with the disk still failing, the rest is given up, counted.
/// <para>
/// Repair after changes were dropped (or the file was lost): the file is emptied and the engine's whole state written
/// in one transaction. Every change queued before the snapshot is taken is discarded, its effect being in the snapshot
/// (the engine changes its memory before handing a change over); changes handed over during and after the snapshot are
/// applied on top of it, which is harmless because every change is idempotent (an upsert or a delete by key).
/// </para>
/// </summary>
internal sealed partial class StoreWriter
{
    private ChangeBatch? resynchronisation;
    private long resynchronisationCovers;

    /// <summary>Drops repaired by the last resynchronisation: barriers made after more drops than this fault.</summary>
    private long droppedRepaired;

    /// <summary>Drop count at which the engine's snapshot failed: no new attempt until more changes are dropped.</summary>
    private long snapshotFailedAt = -1;

    private bool ResynchronisationDue() =>
        resynchronisation is not null ||
        (SnapshotSource is not null && (fileLost || statistics.DroppedChanges > Math.Max(droppedRepaired, snapshotFailedAt)));

    /// <summary>Writes the snapshot (taking it first if needed); throws like a commit when writing fails, the snapshot
    /// then being kept for the next attempt.</summary>
    private void Resynchronise()
    {
        if (resynchronisation is null && !TakeSnapshot())
        {
            return;
        }
        var at = time.GetUtcNow();
        var duration = committer!.Commit(resynchronisation!, at);
        droppedRepaired = resynchronisationCovers;
        fileLost = false;
        CompleteBarriers(resynchronisation!.TakeBarriers());
        logger.LogWarning("Store {Path}: rewrote the broker's whole state ({Retained} retained messages, {Sessions} sessions) in {Duration} after dropped changes",
            file.FullPath, resynchronisation!.Retained.Count, resynchronisation.Sessions.Count, duration);
        resynchronisation = null;
        statistics.AddResynchronisation();
        statistics.SetDegraded(statistics.DroppedChanges > droppedRepaired);
    }

    private bool TakeSnapshot()
    {
        var covers = statistics.DroppedChanges;
        // Older than the snapshot: its effect is in it. Waiters are kept and answered by the snapshot's commit.
        var waiters = batch.TakeBarriers();
        batch.Clear();
        for (var left = buffer.Changes; left > 0 && buffer.TryTake(out var change); left--)
        {
            if (change.Value is FlushBarrier barrier) waiters.Add(barrier);
            buffer.Release(1, change.Size);
        }
        StoredBrokerState state;
        try
        {
            state = SnapshotSource!();
        }
        catch (Exception error)
        {
            logger.LogError(error, "Store {Path}: the engine's snapshot failed; the store stays degraded", file.FullPath);
            snapshotFailedAt = covers;
            foreach (var waiter in waiters)
            {
                waiter.Fault(new StoreNotDurableException("The broker store could not be rewritten after dropped changes.", error));
            }
            return false;
        }
        resynchronisation = ChangeBatch.FromSnapshot(state, waiters);
        resynchronisationCovers = covers;
        return true;
    }

    private void OnFailure(Exception error, bool opening)
    {
        statistics.AddWriteError(error, time.GetUtcNow());
        committer?.Dispose();
        committer = null;
        var notDurable = new StoreNotDurableException($"Writing the broker store {file.FullPath} failed: {error.Message}", error);
        FaultBarriers(batch, notDurable);
        if (resynchronisation is { } pending) FaultBarriers(pending, notDurable);
        if (!opening && IsRejectedBatch(error))
        {
            // Retrying a batch the database refuses would stop all writing; give it up, counted, and repair by a snapshot.
            logger.LogError(error, "Store {Path}: a batch of {Changes} changes was refused by the database and is dropped", file.FullPath, batch.ChangesTaken);
            statistics.AddDropped(batch.ChangesTaken);
            statistics.SetDegraded(true);
            batch.Clear();
            resynchronisation = null;
            return;
        }
        health.WriteFailed(error, buffer.Changes, buffer.Bytes);
    }

    /// <summary>Errors that retrying cannot cure (the data itself is refused); everything else (full disk, read-only,
    /// I/O, locked, a file that vanished) is the environment, and is retried.</summary>
    private static bool IsRejectedBatch(Exception error) => error switch
    {
        SqliteException { SqliteErrorCode: SqliteErrorCodes.Constraint or SqliteErrorCodes.Mismatch or SqliteErrorCodes.TooBig or SqliteErrorCodes.Range } => true,
        SqliteException or IOException or UnauthorizedAccessException or StoreRejectedException => false,
        _ => true,
    };

    private TimeSpan NextDelay(TimeSpan previous) =>
        previous == TimeSpan.Zero ? FirstRetryDelay : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, options.RetryMaxDelay.Ticks));

    /// <summary>Stopping and the disk still refuses: what is pending is lost, and said so once, with its count.</summary>
    private void GiveUp()
    {
        var lost = buffer.Changes;
        buffer.Close();
        var notDurable = new StoreNotDurableException($"The broker store {file.FullPath} stopped before it could write the changes.");
        FaultBarriers(batch, notDurable);
        batch.Clear();
        while (buffer.TryTake(out var change))
        {
            (change.Value as FlushBarrier)?.Fault(notDurable);
            buffer.Release(1, change.Size);
        }
        statistics.AddDropped(lost);
        logger.LogError("Store {Path}: stopping while writing still fails; {Lost} changes were not written", file.FullPath, lost);
    }
}

using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Persistence.Sqlite.Changes;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Sqlite.Writing;

/// <summary>
/// Repair after changes were dropped (or the file was lost): the file is emptied and the engine's whole state written
/// in one transaction. Every change queued before the snapshot is taken is discarded, its effect being in the snapshot
/// (the engine changes its memory before handing a change over); changes handed over during and after the snapshot are
/// applied on top of it, which is harmless because every change is idempotent (an upsert or a delete by key).
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
}

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// A <c>FlushedAsync</c> call, queued behind every change handed over before it: it completes when the batch that
/// took it commits. <see cref="DroppedBefore"/> is the store's drop count when it was made; if any of those drops has
/// not been repaired by a resynchronisation when the batch commits, the barrier faults (the promise "everything handed
/// over before is durable" cannot be kept).
/// </summary>
internal sealed class FlushBarrier(long droppedBefore)
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long DroppedBefore { get; } = droppedBefore;

    public Task Task => completion.Task;

    public void Complete() => completion.TrySetResult();

    public void Fault(Exception error) => completion.TrySetException(error);
}

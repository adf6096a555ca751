namespace EmbeddedBroker.Bridges.Options;

/// <summary>
/// Bounds of one bridge's out-queue (messages accepted locally and not yet acknowledged by the remote broker), in
/// messages and in bytes, whichever is reached first. A message that does not fit is dropped and counted
/// (<c>dropped</c> in $SYS, /metrics, /api/stats), with one warning per overflow episode.
/// </summary>
public sealed record BridgeQueueOptions
{
    public int MaxMessages { get; init; } = 100_000;

    /// <summary>Payload, topic and bookkeeping bytes; the queue is held in memory too, so this bounds its memory.</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;
}

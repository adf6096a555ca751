namespace EmbeddedBroker.Bridges.Statistics;

/// <summary>
/// Every bridge's live figures, for /api/stats and anything else that reports (register-free: resolve it from DI).
/// <see cref="Snapshot"/> gives plain records ready for JSON.
/// </summary>
public sealed class BridgeStatusProvider
{
    private readonly Lazy<IReadOnlyList<BridgeStatistics>> _bridges;

    internal BridgeStatusProvider(BridgeRegistry registry) =>
        _bridges = new Lazy<IReadOnlyList<BridgeStatistics>>(() => [.. registry.Bridges.Select(b => b.Statistics)]);

    public IReadOnlyList<BridgeStatistics> Bridges => _bridges.Value;

    public IReadOnlyList<BridgeStatus> Snapshot() => [.. Bridges.Select(BridgeStatus.From)];
}

/// <summary>One bridge's figures at one moment (see <see cref="BridgeStatistics"/> for each one's meaning).</summary>
public sealed record BridgeStatus(
    string Name,
    string State,
    string? ConnectedAddress,
    int QueueMessages,
    long QueueBytes,
    long Queued,
    long Sent,
    long Acknowledged,
    long Dropped,
    long Rejected,
    long Received,
    long ReceivedDuplicates,
    long Reconnects,
    long FailedAttempts,
    string? LastError)
{
    public static BridgeStatus From(BridgeStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Name, StateName(s.State), s.ConnectedAddress, s.QueueMessages, s.QueueBytes, s.Queued, s.Sent, s.Acknowledged,
            s.Dropped, s.Rejected, s.Received, s.ReceivedDuplicates, s.Reconnects, s.FailedAttempts, s.LastError);
    }

    public static string StateName(BridgeState state) => state switch
    {
        BridgeState.Connected => "connected",
        BridgeState.Stopped => "stopped",
        _ => "connecting",
    };
}

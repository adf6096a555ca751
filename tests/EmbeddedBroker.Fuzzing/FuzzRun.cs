using System.IO.Pipelines;

namespace EmbeddedBroker.Fuzzing;

/// <summary>A connection to the broker under test, whatever carries it (in-memory pipes, TCP).</summary>
public interface IFuzzTransport : IAsyncDisposable
{
    IDuplexPipe Pipe { get; }
}

/// <summary>Opens a new connection to the broker under test.</summary>
public delegate ValueTask<IFuzzTransport> FuzzConnector(CancellationToken cancellationToken);

public sealed record FuzzRunOptions
{
    /// <summary>Printed with every violation; the same seed replays the same packets.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Stop starting sessions once this many packets were sent.</summary>
    public long Packets { get; init; } = 20_000;

    /// <summary>Connections fuzzed at once.</summary>
    public int Parallelism { get; init; } = 8;

    public FuzzLimits Limits { get; init; } = new();

    /// <summary>How long a step may wait for its PINGRESP or close before the connection counts as hung.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Only this session (a replay of one violation), or all when null.</summary>
    public int? OnlySession { get; init; }

    /// <summary>Called after each session with the report so far (progress output, RSS samples).</summary>
    public Action<FuzzReport>? Progress { get; init; }
}

/// <summary>
/// Runs fuzz sessions in parallel until the packet budget is spent. Each session gets its own connection and a plan
/// derived from the run seed and its index, so a violation names what to replay.
/// </summary>
public static class FuzzRun
{
    public static async Task<FuzzReport> RunAsync(FuzzRunOptions options, FuzzConnector connect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connect);
        var report = new FuzzReport(options.Seed);
        if (options.OnlySession is { } only)
        {
            await RunSessionAsync(options, connect, report, only, cancellationToken);
            return report;
        }

        var next = -1;
        var workers = Enumerable.Range(0, options.Parallelism).Select(_ => Task.Run(async () =>
        {
            while (report.Packets < options.Packets && !cancellationToken.IsCancellationRequested)
            {
                await RunSessionAsync(options, connect, report, Interlocked.Increment(ref next), cancellationToken);
                options.Progress?.Invoke(report);
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return report;
    }

    private static async Task RunSessionAsync(FuzzRunOptions options, FuzzConnector connect, FuzzReport report, int index, CancellationToken cancellationToken)
    {
        var plan = SessionPlan.Create(options.Seed, index, options.Limits);
        var transport = await connect(cancellationToken);
        await using (transport.ConfigureAwait(false))
            await new FuzzSession(plan, report, options.ReplyTimeout).RunAsync(transport.Pipe, cancellationToken);
    }
}

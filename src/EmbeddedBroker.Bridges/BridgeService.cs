using EmbeddedBroker.Bridges.Statistics;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Bridges;

/// <summary>
/// Runs every bridge's connection loop while the host runs. A stop ends the connections first, in StoppingAsync,
/// while the local broker still runs (the host's fast stop closes the broker's clients in its own StoppingAsync,
/// registered before this one, so after it): the remotes get the notification "0" and a DISCONNECT. The queue files
/// close last, in StopAsync, so that what local clients publish meanwhile is kept for the next start. Takes the
/// metrics so that their instruments exist from the first scrape (the container disposes them).
/// </summary>
internal sealed class BridgeService(BridgeRegistry registry, ILocalBroker local, BridgeMetrics metrics) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly BridgeMetrics _metrics = metrics;
    private Task[] _running = [];

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = [.. registry.Bridges.Select(b => Task.Run(() => b.RunAsync(local, _stopping.Token), CancellationToken.None))];
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var bridge in registry.Bridges)
        {
            await bridge.Journal.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Hosting;

/// <summary>Logs where each listener is bound once the server has started (tests and users read the port from it).</summary>
internal sealed class ListenerAnnouncer(IHostApplicationLifetime lifetime, ListenerRegistry registry, ILogger<ListenerAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var (protocol, endPoint, name) in registry.Snapshot())
            {
                logger.LogInformation("Listening for {Protocol} on {EndPoint} ({Listener})", protocol, endPoint, name);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using EmbeddedBroker.Broker;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Closes every MQTT connection as soon as the host begins to stop (SIGTERM, Ctrl+C, `q`), before any service stops:
/// <see cref="MqttBroker.DisposeAsync"/> sends MQTT 5 clients DISCONNECT 0x8B (server shutting down) and closes the
/// others, so Kestrel then finds no connection to wait for, and the recorder (which stops after) drains what they sent.
/// Without it the broker singleton is disposed last, after Kestrel has waited its whole shutdown timeout.
/// </summary>
internal sealed class BrokerShutdown(MqttBroker broker) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) => broker.DisposeAsync().AsTask().WaitAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

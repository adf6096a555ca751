using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Broker;

/// <summary>Loads what the store kept into the broker at start, before any listener serves a client.</summary>
internal sealed class BrokerStateLoader(MqttBroker broker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker.LoadStateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

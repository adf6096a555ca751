using EmbeddedBroker.Broker;
using EmbeddedBroker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Integration.Tests.Infrastructure;

/// <summary>
/// The real application host (same composition as Program.cs) started in the test process, MQTT over TCP only,
/// bound to 127.0.0.1 on a free port, recording into a temporary folder that is deleted afterwards.
/// </summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private readonly InProcessHost host;

    private InProcessBroker(InProcessHost host) => this.host = host;

    public int Port => host.Ports[0];

    public string Host => "127.0.0.1";

    public MqttBroker Broker => host.Services.GetRequiredService<MqttBroker>();

    public static async Task<InProcessBroker> StartAsync(params string[] extraArguments) =>
        new(await InProcessHost.StartAsync(1, (ports, folder) => EmbeddedBrokerHost.Build(
        [
            .. AppExecutable.BrokerArguments(ports[0], RecorderOutput.In(folder)),
            "--Serilog:MinimumLevel:Default", "Warning",
            .. extraArguments,
        ])));

    /// <summary>Waits until the broker shows <paramref name="clientId"/> connected with a subscription to <paramref name="filter"/>.</summary>
    public Task WaitForSubscriptionAsync(string clientId, string filter) =>
        Eventually.HoldsAsync(
            () => Broker.GetConnectedClients().Any(c => c.ClientId == clientId && c.Subscriptions.Any(s => s.TopicFilter == filter)),
            $"client '{clientId}' subscribes to '{filter}'");

    /// <summary>Waits until <paramref name="clientId"/> is no longer connected.</summary>
    public Task WaitForDisconnectAsync(string clientId) =>
        Eventually.HoldsAsync(() => Broker.GetConnectedClients().All(c => c.ClientId != clientId), $"client '{clientId}' is disconnected");

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

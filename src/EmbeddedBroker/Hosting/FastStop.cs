using EmbeddedBroker.Broker;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Web.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// What a stop (SIGTERM, Ctrl+C, `q`) does first, before any service stops (IHostedLifecycleService.StoppingAsync):
/// <list type="number">
/// <item>closes every MQTT connection: <see cref="MqttBroker.DisposeAsync"/> sends MQTT 5 clients DISCONNECT 0x8B
/// (server shutting down) and closes the others, so Kestrel then has no connection to wait for (otherwise the broker
/// singleton is disposed last, after Kestrel waited its whole shutdown timeout);</item>
/// <item>when the recorder cannot write at that moment, gives it <see cref="FailingDiskGrace"/> to drain instead of the
/// whole shutdown timeout: what is left is counted as not recorded (exit code 1) and the process ends at once.</item>
/// </list>
/// A recorder that writes fine drains everything afterwards, in its own StopAsync, within the shutdown timeout.
/// </summary>
internal sealed class FastStop(IServiceProvider services) : IHostedLifecycleService
{
    public static readonly TimeSpan FailingDiskGrace = TimeSpan.FromSeconds(1);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<MqttBroker>() is { } broker)
        {
            await broker.DisposeAsync().AsTask().WaitAsync(cancellationToken);
        }

        if (services.GetService<RecorderHealth>()?.Current() is { IsWriteFailing: true } && services.GetService<MessageRecorder>() is { } recorder)
        {
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(FailingDiskGrace);
            await recorder.StopAsync(grace.Token);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using EmbeddedBroker.Recorder;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Checks run once the configuration is valid and before any service starts (IHostedLifecycleService.StartingAsync
/// runs before every StartAsync, Kestrel's included): today, that the recorder can write its folder. A failure stops
/// start-up with one line (<see cref="StartupException"/>), before a listener has opened.
/// </summary>
internal sealed class StartupChecks(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<MessageRecorder>() is { } recorder)
        {
            OutputFolderCheck.Check(services.GetRequiredService<IOptions<RecorderOptions>>().Value, recorder.OutputFiles);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// The terminal view: Spectre.Console's live display (<see cref="LiveDisplayView"/>) on a terminal that can draw it,
/// plain lines (<see cref="PlainConsoleView"/>) on one that cannot, and the keys q (stop cleanly through
/// <see cref="IHostApplicationLifetime.StopApplication"/>: the host disconnects clients, drains the recorder, exits 0),
/// p (pause) and f (filter). Without a terminal (Docker, CI, systemd) it shows nothing and never touches stdin.
/// </summary>
internal sealed class LiveConsoleService(
    ConsoleFeed feed,
    LiveDisplayView live,
    PlainConsoleView plain,
    IHostApplicationLifetime lifetime,
    IOptions<LiveConsoleOptions> options,
    ILogger<LiveConsoleService> logger) : BackgroundService
{
    private static readonly TimeSpan KeyPoll = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || Console.IsOutputRedirected)
        {
            logger.LogDebug("Live console off ({Reason})", settings.Enabled ? "output is not a terminal" : "--no-console");
            return;
        }

        // Wait for the listeners to be announced so the display comes after the start-up log lines.
        await WaitForStartedAsync(stoppingToken);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var view = new ConsoleViewState();
        using var stopView = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keys = Console.IsInputRedirected ? Task.CompletedTask : WatchKeysAsync(view, stopView, stoppingToken);
        feed.IsActive = true;
        try
        {
            if (AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi)
            {
                await live.RunAsync(view, stopView.Token);
            }
            else
            {
                await plain.RunAsync(Console.Out, view, stopView.Token);
            }
        }
        catch (OperationCanceledException) when (stopView.IsCancellationRequested)
        {
            // Host stopping, or q.
        }
        finally
        {
            feed.IsActive = false;
        }

        if (view.QuitRequested)
        {
            await Console.Out.WriteLineAsync("Stopping: disconnecting clients and flushing the recorder...");
            lifetime.StopApplication();
        }

        await stopView.CancelAsync();
        await keys;
    }

    private async Task WatchKeysAsync(ConsoleViewState view, CancellationTokenSource stopView, CancellationToken stoppingToken)
    {
        // Polling KeyAvailable instead of a blocking ReadKey: the loop ends with the host, leaving no thread stuck on stdin.
        try
        {
            while (!stopView.IsCancellationRequested)
            {
                while (Console.KeyAvailable)
                {
                    view.OnKey(Console.ReadKey(intercept: true));
                    if (view.QuitRequested)
                    {
                        await stopView.CancelAsync();
                        return;
                    }
                }

                await Task.Delay(KeyPoll, stopView.Token);
            }
        }
        catch (OperationCanceledException) when (stopView.IsCancellationRequested || stoppingToken.IsCancellationRequested)
        {
            // The view ended.
        }
        catch (InvalidOperationException ex)
        {
            // stdin turned out not to be a console after all: keep running, SIGTERM/Ctrl+C still stop the host.
            logger.LogWarning("Cannot read keys from the terminal ({Message}); stop with Ctrl+C", ex.Message);
        }
    }

    private async Task WaitForStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var cancel = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
        }
        catch (OperationCanceledException)
        {
            // Stopping before start completed.
        }
    }
}

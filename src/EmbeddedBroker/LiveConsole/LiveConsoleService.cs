using EmbeddedBroker.Recorder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// The terminal view: message lines as they arrive (at most MaxLinesPerSecond, then one summary line per second),
/// a periodic status line, and `q` to stop the application cleanly through <see cref="IHostApplicationLifetime.StopApplication"/>
/// (the host then drains the recorder and disconnects clients, and the process exits 0).
/// Without a terminal (Docker, CI, systemd) it shows nothing and never touches stdin; SIGTERM stops the host as usual.
/// </summary>
internal sealed class LiveConsoleService(
    ConsoleFeed feed,
    IConnectionStatus connection,
    RecorderStatistics recorder,
    IHostApplicationLifetime lifetime,
    IOptions<LiveConsoleOptions> options,
    ILogger<LiveConsoleService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || Console.IsOutputRedirected)
        {
            logger.LogDebug("Live console off ({Reason})", settings.Enabled ? "output is not a terminal" : "--no-console");
            return;
        }

        // Wait for the listeners to be announced so the banner comes after the start-up log lines.
        await WaitForStartedAsync(stoppingToken);
        feed.IsActive = true;
        var readKeys = !Console.IsInputRedirected;
        var output = Console.Out;
        await output.WriteLineAsync(readKeys
            ? "Live console: messages appear below. Type q to quit."
            : "Live console: messages appear below (input is not a terminal: stop with Ctrl+C or SIGTERM).");

        var keys = readKeys ? WatchKeysAsync(stoppingToken) : Task.CompletedTask;
        await RenderAsync(output, settings, stoppingToken);
        await keys;
    }

    private async Task RenderAsync(TextWriter output, LiveConsoleOptions settings, CancellationToken stoppingToken)
    {
        var statusEvery = TimeSpan.FromSeconds(settings.StatusIntervalSeconds);
        var started = TimeProvider.System.GetTimestamp();
        var lastSecond = started;
        var lastStatus = started;
        long totalAtLastSecond = feed.Total, skippedAtLastSecond = feed.Skipped, totalAtLastStatus = feed.Total;

        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                while (feed.Shown.TryRead(out var message))
                {
                    await output.WriteLineAsync(ConsoleLineFormatter.Message(message, settings.PayloadPreviewLength));
                }

                var now = TimeProvider.System.GetTimestamp();
                var sinceSecond = TimeProvider.System.GetElapsedTime(lastSecond, now);
                if (sinceSecond >= TimeSpan.FromSeconds(1))
                {
                    var skipped = feed.Skipped;
                    var total = feed.Total;
                    if (skipped > skippedAtLastSecond)
                    {
                        var rate = (total - totalAtLastSecond) / sinceSecond.TotalSeconds;
                        await output.WriteLineAsync(ConsoleLineFormatter.Summary(skipped - skippedAtLastSecond, rate));
                    }

                    (lastSecond, totalAtLastSecond, skippedAtLastSecond) = (now, total, skipped);
                }

                var sinceStatus = TimeProvider.System.GetElapsedTime(lastStatus, now);
                if (sinceStatus >= statusEvery)
                {
                    var total = feed.Total;
                    await output.WriteLineAsync(ConsoleLineFormatter.Status(
                        connection.Describe(), (total - totalAtLastStatus) / sinceStatus.TotalSeconds, recorder.Recorded, recorder.Dropped));
                    (lastStatus, totalAtLastStatus) = (now, total);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
        finally
        {
            feed.IsActive = false;
        }
    }

    private async Task WatchKeysAsync(CancellationToken stoppingToken)
    {
        // Polling KeyAvailable instead of a blocking ReadKey: the loop ends with the host, leaving no thread stuck on stdin.
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                while (Console.KeyAvailable)
                {
                    var key = Console.ReadKey(intercept: true);
                    if (key.KeyChar is 'q' or 'Q')
                    {
                        await Console.Out.WriteLineAsync("Stopping: flushing the recorder and disconnecting clients...");
                        lifetime.StopApplication();
                        return;
                    }
                }

                await Task.Delay(Tick, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
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
            // Stopping before start completed: ExecuteAsync's loops see the token and end.
        }
    }
}

using Microsoft.Extensions.Options;
using Spectre.Console;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// The console on a real terminal: Spectre.Console's live display, redrawn four times a second with the status panel
/// pinned above the latest messages. Log lines are captured for its events panel while it runs (<see cref="ConsoleLogCapture"/>),
/// so nothing writes across it; the last frame stays on screen when it ends.
/// </summary>
internal sealed class LiveDisplayView(ConsoleFeed feed, ConsoleStatusSource status, ConsoleLogCapture logs, IOptions<LiveConsoleOptions> options)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private const int EventLines = 5;

    public async Task RunAsync(ConsoleViewState view, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var shown = new Queue<MqttApplicationMessage>();
        logs.IsCapturing = true;
        try
        {
            await AnsiConsole.Live(LiveDisplayRenderer.Render(status.Read(), shown, [], view, settings.PayloadPreviewLength))
                .AutoClear(false)
                .Overflow(VerticalOverflow.Crop)
                .StartAsync(async context =>
                {
                    using var timer = new PeriodicTimer(Refresh);
                    while (!view.QuitRequested && !stoppingToken.IsCancellationRequested)
                    {
                        var capacity = Math.Max(3, SafeHeight() - 12 - EventLines);
                        while (feed.Shown.TryRead(out var message))
                        {
                            if (!view.Paused && view.Shows(message.Topic))
                            {
                                shown.Enqueue(message);
                            }
                        }

                        while (shown.Count > capacity)
                        {
                            shown.Dequeue();
                        }

                        context.UpdateTarget(LiveDisplayRenderer.Render(status.Read(), shown, logs.Last(EventLines), view, settings.PayloadPreviewLength));
                        try
                        {
                            await timer.WaitForNextTickAsync(stoppingToken);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                });
        }
        finally
        {
            logs.IsCapturing = false;
        }
    }

    private static int SafeHeight()
    {
        try
        {
            return Console.WindowHeight > 0 ? Console.WindowHeight : 24;
        }
        catch (IOException)
        {
            return 24;
        }
    }
}

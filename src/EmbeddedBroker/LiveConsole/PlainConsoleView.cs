using Microsoft.Extensions.Options;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// The console as lines, for a terminal without cursor control (TERM=dumb): each shown message, one summary line a
/// second for those over the budget, a status line every StatusIntervalSeconds. The live display replaces it elsewhere.
/// </summary>
internal sealed class PlainConsoleView(ConsoleFeed feed, ConsoleStatusSource status, IOptions<LiveConsoleOptions> options)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(TextWriter output, ConsoleViewState view, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await output.WriteLineAsync("Live console: messages appear below. Type q to quit.");
        var statusEvery = TimeSpan.FromSeconds(settings.StatusIntervalSeconds);
        var lastSecond = TimeProvider.System.GetTimestamp();
        var lastStatus = lastSecond;
        long skippedAtLastSecond = feed.Skipped;
        using var timer = new PeriodicTimer(Tick);
        while (!view.QuitRequested && await timer.WaitForNextTickAsync(stoppingToken))
        {
            while (feed.Shown.TryRead(out var message))
            {
                if (!view.Paused && view.Shows(message.Topic))
                {
                    await output.WriteLineAsync(ConsoleLineFormatter.Message(message, settings.PayloadPreviewLength));
                }
            }

            var now = TimeProvider.System.GetTimestamp();
            if (TimeProvider.System.GetElapsedTime(lastSecond, now) >= TimeSpan.FromSeconds(1))
            {
                var reading = status.Read();
                if (reading.NotShown > skippedAtLastSecond)
                {
                    await output.WriteLineAsync(ConsoleLineFormatter.Summary(reading.NotShown - skippedAtLastSecond, reading.MessagesPerSecond));
                }

                (lastSecond, skippedAtLastSecond) = (now, reading.NotShown);
            }

            if (TimeProvider.System.GetElapsedTime(lastStatus, now) >= statusEvery)
            {
                var reading = status.Read();
                await output.WriteLineAsync(ConsoleLineFormatter.Status(reading.Connection, reading.MessagesPerSecond, reading.Recorded, reading.Dropped)
                    + (reading.Recorder.IsFailing ? $" · RECORDER FAILING: {reading.Recorder.Description}" : ""));
                lastStatus = now;
            }
        }
    }
}

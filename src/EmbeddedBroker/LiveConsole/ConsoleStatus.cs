using EmbeddedBroker.Recorder;
using EmbeddedBroker.Web.Health;

namespace EmbeddedBroker.LiveConsole;

/// <summary>One reading of everything the status panel shows, taken once per refresh.</summary>
public sealed record ConsoleStatus(
    string Connection,
    double MessagesPerSecond,
    long Seen,
    long NotShown,
    long Recorded,
    int Queued,
    long Dropped,
    RecorderHealthState Recorder,
    IReadOnlyList<string> Files);

/// <summary>Takes <see cref="ConsoleStatus"/> readings and the message rate between two of them.</summary>
internal sealed class ConsoleStatusSource(ConsoleFeed feed, IConnectionStatus connection, RecorderStatistics recorder, RecorderHealth health, IServiceProvider services)
{
    private long lastTotal = feed.Total;
    private long lastAt = TimeProvider.System.GetTimestamp();
    private double rate;

    public ConsoleStatus Read()
    {
        var now = TimeProvider.System.GetTimestamp();
        var elapsed = TimeProvider.System.GetElapsedTime(lastAt, now);
        var total = feed.Total;
        if (elapsed >= TimeSpan.FromSeconds(1))
        {
            rate = (total - lastTotal) / elapsed.TotalSeconds;
            (lastTotal, lastAt) = (total, now);
        }

        var files = (services.GetService(typeof(MessageRecorder)) as MessageRecorder)?.OutputFiles.ToList() ?? [];
        return new ConsoleStatus(connection.Describe(), rate, total, feed.Skipped, recorder.Recorded, recorder.QueueDepth, recorder.Dropped, health.Current(), files);
    }
}

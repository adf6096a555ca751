using System.Diagnostics;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// The measured window shared by the saturation scenarios: warm-up, then counts of sent and delivered messages and
/// the broker's CPU time over the window only.
/// </summary>
internal sealed record MeasuredWindow(long Sent, long Delivered, double Seconds, BrokerWindow? Broker)
{
    public static async Task<MeasuredWindow> RunAsync(BenchOptions options, Counter[] sent, Counter[] received, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
        var (sent0, received0, clock) = (Deliveries.Sum(sent), Deliveries.Sum(received), Stopwatch.StartNew());
        var broker = BrokerWindow.StartIfKnown(options);
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
        var (sent1, received1, elapsed) = (Deliveries.Sum(sent), Deliveries.Sum(received), clock.Elapsed.TotalSeconds);
        broker?.Stop();
        return new MeasuredWindow(sent1 - sent0, received1 - received0, elapsed, broker);
    }

    /// <summary>seconds, sentPerSecond, deliveredPerSecond and, with a broker pid, its CPU per delivered message and RSS.</summary>
    public BenchResult Report(BenchResult result)
    {
        result.Set("seconds", Seconds)
            .Set("sentPerSecond", Sent / Seconds)
            .Set("deliveredPerSecond", Delivered / Seconds);
        Broker?.Report(result, Delivered);
        return result;
    }
}

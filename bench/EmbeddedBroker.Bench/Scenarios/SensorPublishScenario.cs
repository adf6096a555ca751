using System.Diagnostics;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// sensors: P publishers on sensors/bench/&lt;run&gt;/&lt;i&gt; with text payloads (what a recorder sees from a fleet of
/// sensors), optionally at --rate msg/s each (0 = as fast as possible), and --subscribers 0 or more subscribers on
/// sensors/bench/&lt;run&gt;/#. Unlike fanin, payloads are readable ASCII digits: recording zero bytes would measure
/// JSON's \u0000 escaping (6 bytes per byte), not a realistic record.
/// Reports the rates inside the measured window after the warm-up, the totals of the whole run (what the recorder must
/// have written: compare totalSent with its counts) and the slowest whole second of publishing.
/// </summary>
internal static class SensorPublishScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var prefix = $"sensors/bench/{BenchClients.RunId}";
        var payload = new byte[options.Payload];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('0' + (i % 10));
        }

        await using var subscribers = await SubscriberGroup.ConnectAsync(options, options.Subscribers, _ => $"{prefix}/#", cancellationToken);
        await using var publishers = await PublisherGroup.ConnectAsync(options, options.Publishers, cancellationToken);

        var runClock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = subscribers.CountAsync(options);
        var constant = new ReadOnlyMemory<byte>(payload);
        var publishing = publishers.RunAsync(i => $"{prefix}/{i}", _ => () => constant, options, stop.Token);
        var sampling = SampleAsync(publishers.Sent, runClock, stop.Token);
        var window = await MeasuredWindow.RunAsync(options, publishers.Sent, subscribers.Received, cancellationToken);

        await stop.CancelAsync();
        await publishing;
        var runSeconds = runClock.Elapsed.TotalSeconds;
        var perSecond = await sampling;
        var totalSent = Deliveries.Sum(publishers.Sent);
        await Deliveries.WaitUntilQuietAsync(subscribers.Received, TimeSpan.FromSeconds(3));
        var totalReceived = Deliveries.Sum(subscribers.Received);

        var result = new BenchResult("sensors", options)
            .Set("publishers", options.Publishers)
            .Set("subscribers", subscribers.Count)
            .Set("payload", options.Payload)
            .Set("topicPrefix", prefix)
            .Set("ratePerPublisher", options.Rate);
        return window.Report(result)
            .Set("runSeconds", runSeconds)
            .Set("slowestSecond", perSecond.Count == 0 ? 0 : perSecond.Min())
            .Set("totalSent", totalSent)
            .Set("totalDelivered", totalReceived)
            .Set("deliveryRatio", totalSent == 0 || subscribers.Count == 0 ? 0.0 : (double)totalReceived / (totalSent * subscribers.Count))
            .Set("disconnected", subscribers.Disconnected + publishers.Disconnected);
    }

    /// <summary>Messages sent in each whole second of the run, to show a fixed rate held throughout and not only on average.</summary>
    private static async Task<List<long>> SampleAsync(Counter[] sent, Stopwatch clock, CancellationToken stop)
    {
        var perSecond = new List<long>();
        var last = 0L;
        try
        {
            while (true)
            {
                var untilNextSecond = TimeSpan.FromSeconds(perSecond.Count + 1) - clock.Elapsed;
                await Task.Delay(untilNextSecond > TimeSpan.Zero ? untilNextSecond : TimeSpan.Zero, stop);
                var now = Deliveries.Sum(sent);
                perSecond.Add(now - last);
                last = now;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return perSecond;
        }
    }
}

using System.Diagnostics;
using EmbeddedBroker.Client;

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

        var subscribers = new List<MqttClient>();
        var publishers = new List<MqttClient>();
        try
        {
            for (var i = 0; i < options.Subscribers; i++)
            {
                var subscriber = await BenchClients.ConnectAsync(options, $"s{i}", cancellationToken);
                subscribers.Add(subscriber);
                var granted = await subscriber.SubscribeAsync(($"{prefix}/#", options.Qos));
                if ((byte)granted[0] >= 0x80)
                {
                    throw new InvalidOperationException($"Subscription refused: {granted[0]}.");
                }
            }

            for (var i = 0; i < options.Publishers; i++)
            {
                publishers.Add(await BenchClients.ConnectAsync(options, $"p{i}", cancellationToken));
            }

            var received = new Counter[subscribers.Count];
            var sent = new Counter[publishers.Count];
            var runClock = Stopwatch.StartNew();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiving = subscribers.Select((s, i) => Deliveries.CountAsync(s, received[i] = new Counter())).ToArray();
            // QoS 1/2: --window loops per publisher, each awaiting its acknowledgement (at most Window in flight).
            var loops = options.Qos == Protocol.MqttQualityOfService.AtMostOnce ? 1 : Math.Max(1, options.Window);
            var loopOptions = options.Rate == 0 ? options : options with { Rate = Math.Max(1, options.Rate / loops) };
            var publishing = publishers.SelectMany((p, i) =>
            {
                sent[i] = new Counter();
                return Enumerable.Range(0, loops).Select(_ => PacedPublisher.RunAsync(p, $"{prefix}/{i}", payload, loopOptions, sent[i], stop.Token));
            }).ToArray();
            var sampling = SampleAsync(sent, runClock, stop.Token);

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            var (sent0, received0, clock) = (Deliveries.Sum(sent), Deliveries.Sum(received), Stopwatch.StartNew());
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var (sent1, received1, elapsed) = (Deliveries.Sum(sent), Deliveries.Sum(received), clock.Elapsed.TotalSeconds);

            await stop.CancelAsync();
            await Task.WhenAll(publishing);
            var runSeconds = runClock.Elapsed.TotalSeconds;
            var perSecond = await sampling;
            var totalSent = Deliveries.Sum(sent);
            await Deliveries.WaitUntilQuietAsync(received, TimeSpan.FromSeconds(3));
            var totalReceived = Deliveries.Sum(received);

            return new BenchResult("sensors", options)
                .Set("publishers", publishers.Count)
                .Set("subscribers", subscribers.Count)
                .Set("payload", options.Payload)
                .Set("topicPrefix", prefix)
                .Set("ratePerPublisher", options.Rate)
                .Set("seconds", elapsed)
                .Set("sentPerSecond", (sent1 - sent0) / elapsed)
                .Set("deliveredPerSecond", (received1 - received0) / elapsed)
                .Set("runSeconds", runSeconds)
                .Set("slowestSecond", perSecond.Count == 0 ? 0 : perSecond.Min())
                .Set("totalSent", totalSent)
                .Set("totalDelivered", totalReceived)
                .Set("deliveryRatio", totalSent == 0 || subscribers.Count == 0 ? 0.0 : (double)totalReceived / (totalSent * subscribers.Count))
                .Set("disconnected", subscribers.Concat(publishers).Count(c => !c.IsConnected));
        }
        finally
        {
            await BenchClients.DisposeAllAsync(publishers.Concat(subscribers));
        }
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

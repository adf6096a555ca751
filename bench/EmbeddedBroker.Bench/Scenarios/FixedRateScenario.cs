using System.Buffers.Binary;
using System.Diagnostics;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// The load most brokers carry (issue 13): --rate msg/s in total (default 1,000), spread round robin over P publishers
/// on bench/&lt;run&gt;/rate/&lt;i&gt;, to one subscriber on bench/&lt;run&gt;/rate/#. One pacer sends for all publishers,
/// so 100 publishers do not add 100 timers to the load tool. Each payload starts with the send time (Stopwatch ticks;
/// both clients live in this process, so one clock); the subscriber computes end-to-end latency. Over the measured
/// window it reports latency percentiles in microseconds and, with --broker-pid, the broker's CPU time per delivered
/// message and its RSS.
/// </summary>
internal static class FixedRateScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var rate = options.Rate > 0 ? options.Rate : 1000;
        var prefix = $"bench/{BenchClients.RunId}/rate";
        await using var subscribers = await SubscriberGroup.ConnectAsync(options, 1, _ => $"{prefix}/#", cancellationToken);
        var publishers = new List<MqttClient>();
        try
        {
            for (var i = 0; i < options.Publishers; i++)
            {
                publishers.Add(await BenchClients.ConnectAsync(options, $"p{i}", cancellationToken));
            }

            var latency = new LatencySamples((int)(rate * options.Seconds) + 1024);
            var receiving = subscribers.CountAsync(options, latency.Record);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sending = SendAsync(publishers, prefix, options, rate, stop.Token);

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            var delivered0 = Deliveries.Sum(subscribers.Received);
            var broker = BrokerWindow.StartIfKnown(options);
            var clock = Stopwatch.StartNew();
            latency.Measuring = true;
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            latency.Measuring = false;
            var elapsed = clock.Elapsed.TotalSeconds;
            var delivered = Deliveries.Sum(subscribers.Received) - delivered0;
            broker?.Stop();

            await stop.CancelAsync();
            var totalSent = await sending;
            await Deliveries.WaitUntilQuietAsync(subscribers.Received, TimeSpan.FromSeconds(3));
            var totalDelivered = Deliveries.Sum(subscribers.Received);

            var result = new BenchResult("fixedrate", options)
                .Set("rate", rate)
                .Set("publishers", publishers.Count)
                .Set("payload", options.Payload)
                .Set("seconds", elapsed)
                .Set("deliveredPerSecond", delivered / elapsed);
            latency.Report(result);
            broker?.Report(result, delivered);
            return result
                .Set("totalSent", totalSent)
                .Set("totalDelivered", totalDelivered)
                .Set("deliveryRatio", totalSent == 0 ? 0.0 : (double)totalDelivered / totalSent)
                .Set("disconnected", subscribers.Disconnected + publishers.Count(p => !p.IsConnected));
        }
        finally
        {
            await BenchClients.DisposeAllAsync(publishers);
        }
    }

    private static async Task<long> SendAsync(List<MqttClient> publishers, string prefix, BenchOptions options, int rate, CancellationToken stop)
    {
        var topics = Enumerable.Range(0, publishers.Count).Select(i => $"{prefix}/{i}").ToArray();
        var pacer = new Pacer(rate);
        long sent = 0;
        try
        {
            while (true)
            {
                await pacer.WaitForNextAsync(stop);
                var next = (int)(sent % publishers.Count);
                // A fresh array per message: the client keeps a reference until it is written.
                var payload = new byte[Math.Max(8, options.Payload)];
                BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
                // Not awaited: with QoS 1 the next message must not wait for this one's PUBACK, or the rate would drop.
                _ = publishers[next].PublishAsync(topics[next], payload, options.Qos, cancellationToken: CancellationToken.None);
                sent++;
            }
        }
        catch (OperationCanceledException)
        {
            return sent;
        }
    }
}

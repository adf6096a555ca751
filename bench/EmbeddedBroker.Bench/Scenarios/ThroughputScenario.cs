using System.Diagnostics;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// fanin: P publishers on bench/&lt;run&gt;/&lt;i&gt; -> 1 subscriber on bench/&lt;run&gt;/#.
/// fanout: 1 publisher on bench/&lt;run&gt;/t -> N subscribers on it.
/// Publishers pipeline (QoS 0 not awaited one by one; QoS 1/2 with a bounded window). Counts what publishers got
/// accepted (sent) and what subscribers received (delivered) inside the measured window only.
/// </summary>
internal static class ThroughputScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, bool fanIn, CancellationToken cancellationToken)
    {
        var publisherCount = fanIn ? options.Publishers : 1;
        var subscriberCount = fanIn ? 1 : options.Subscribers;
        var prefix = $"bench/{BenchClients.RunId}";
        var payload = new byte[options.Payload];

        var subscribers = new List<MqttClient>();
        var publishers = new List<MqttClient>();
        try
        {
            for (var i = 0; i < subscriberCount; i++)
            {
                var subscriber = await BenchClients.ConnectAsync(options, $"s{i}", cancellationToken);
                subscribers.Add(subscriber);
                var granted = await subscriber.SubscribeAsync((fanIn ? $"{prefix}/#" : $"{prefix}/t", options.Qos));
                if ((byte)granted[0] >= 0x80)
                {
                    throw new InvalidOperationException($"Subscription refused: {granted[0]}.");
                }
            }

            for (var i = 0; i < publisherCount; i++)
            {
                publishers.Add(await BenchClients.ConnectAsync(options, $"p{i}", cancellationToken));
            }

            var received = new Counter[subscriberCount];
            var sent = new Counter[publisherCount];
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiving = subscribers.Select((s, i) => Deliveries.CountAsync(s, received[i] = new Counter())).ToArray();
            var publishing = publishers.Select((p, i) =>
                PublishAsync(p, fanIn ? $"{prefix}/{i}" : $"{prefix}/t", payload, options, sent[i] = new Counter(), stop.Token)).ToArray();

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            var (sent0, received0, clock) = (Deliveries.Sum(sent), Deliveries.Sum(received), Stopwatch.StartNew());
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var (sent1, received1, elapsed) = (Deliveries.Sum(sent), Deliveries.Sum(received), clock.Elapsed.TotalSeconds);

            await stop.CancelAsync();
            await Task.WhenAll(publishing);
            var totalSent = Deliveries.Sum(sent);
            await Deliveries.WaitUntilQuietAsync(received, TimeSpan.FromSeconds(3));
            var totalReceived = Deliveries.Sum(received);

            return new BenchResult(fanIn ? "fanin" : "fanout", options)
                .Set("publishers", publisherCount)
                .Set("subscribers", subscriberCount)
                .Set("payload", options.Payload)
                .Set("seconds", elapsed)
                .Set("sentPerSecond", (sent1 - sent0) / elapsed)
                .Set("deliveredPerSecond", (received1 - received0) / elapsed)
                .Set("totalSent", totalSent)
                .Set("totalDelivered", totalReceived)
                // Delivered over expected (each message goes to every subscriber) for the whole run, drained: 1.0 = nothing lost.
                .Set("deliveryRatio", totalSent == 0 ? 0.0 : (double)totalReceived / (totalSent * subscriberCount))
                .Set("disconnected", subscribers.Concat(publishers).Count(c => !c.IsConnected));
        }
        finally
        {
            await BenchClients.DisposeAllAsync(publishers.Concat(subscribers));
        }
    }

    /// <summary>QoS 0: one paced loop. QoS 1/2: a window of loops, each awaiting its acknowledgement, so at most Window are in flight.</summary>
    private static Task PublishAsync(MqttClient client, string topic, byte[] payload, BenchOptions options, Counter sent, CancellationToken stop)
    {
        if (options.Qos == MqttQualityOfService.AtMostOnce)
        {
            return PacedPublisher.RunAsync(client, topic, payload, options, sent, stop);
        }

        var window = Math.Max(1, options.Window);
        var rate = options.Rate == 0 ? options : options with { Rate = Math.Max(1, options.Rate / window) };
        return Task.WhenAll(Enumerable.Range(0, window).Select(_ => PacedPublisher.RunAsync(client, topic, payload, rate, sent, stop)));
    }
}

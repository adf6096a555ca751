using System.Buffers.Binary;
using System.Diagnostics;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// One publisher at a fixed rate (default 1,000 msg/s) -> one subscriber. Each payload starts with the send time
/// (Stopwatch ticks; both clients live in this process, so one clock). Reports end-to-end latency percentiles
/// in microseconds over the measured window.
/// </summary>
internal static class LatencyScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var rate = options.Rate > 0 ? options.Rate : 1000;
        var topic = $"bench/{BenchClients.RunId}/latency";
        var subscriber = await BenchClients.ConnectAsync(options, "lat-s", cancellationToken);
        var publisher = await BenchClients.ConnectAsync(options, "lat-p", cancellationToken);
        try
        {
            await subscriber.SubscribeAsync((topic, options.Qos));
            var samples = new List<long>(capacity: (int)(rate * (options.Seconds + options.WarmupSeconds)) + 1024);
            var measuring = new MeasuringFlag();
            var receiving = CollectAsync(subscriber, samples, measuring);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sending = SendAsync(publisher, topic, options, rate, stop.Token);

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            measuring.Value = true;
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            measuring.Value = false;
            await stop.CancelAsync();
            var sent = await sending;

            long[] sorted;
            lock (samples)
            {
                sorted = [.. samples];
            }

            Array.Sort(sorted);
            return new BenchResult("latency", options)
                .Set("rate", rate)
                .Set("payload", options.Payload)
                .Set("seconds", options.Seconds)
                .Set("sent", sent)
                .Set("samples", sorted.Length)
                .Set("p50Us", Percentiles.Of(sorted, 0.50))
                .Set("p90Us", Percentiles.Of(sorted, 0.90))
                .Set("p99Us", Percentiles.Of(sorted, 0.99))
                .Set("p999Us", Percentiles.Of(sorted, 0.999))
                .Set("maxUs", sorted.Length == 0 ? 0 : Percentiles.ToMicroseconds(sorted[^1]));
        }
        finally
        {
            await BenchClients.DisposeAllAsync([publisher, subscriber]);
        }
    }

    private static async Task<long> SendAsync(MqttClient publisher, string topic, BenchOptions options, int rate, CancellationToken stop)
    {
        var pacer = new Pacer(rate);
        long sent = 0;
        try
        {
            while (true)
            {
                await pacer.WaitForNextAsync(stop);
                // A fresh array per message: the client keeps a reference until it is written.
                var payload = new byte[Math.Max(8, options.Payload)];
                BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
                // Not awaited: with QoS 1 the next message must not wait for this one's PUBACK, or the rate would drop.
                _ = publisher.PublishAsync(topic, payload, options.Qos, cancellationToken: CancellationToken.None);
                sent++;
            }
        }
        catch (OperationCanceledException)
        {
            return sent;
        }
    }

    private static async Task CollectAsync(MqttClient subscriber, List<long> samples, MeasuringFlag measuring)
    {
        var messages = subscriber.Messages;
        while (await messages.WaitToReadAsync())
        {
            while (messages.TryRead(out var message))
            {
                var elapsed = Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(message.Payload.Span);
                if (measuring.Value)
                {
                    lock (samples)
                    {
                        samples.Add(elapsed);
                    }
                }
            }
        }
    }

    /// <summary>Whether the subscriber records samples (only inside the measured window); flipped by the measuring thread.</summary>
    private sealed class MeasuringFlag
    {
        private volatile bool _value;

        public bool Value
        {
            get => _value;
            set => _value = value;
        }
    }
}

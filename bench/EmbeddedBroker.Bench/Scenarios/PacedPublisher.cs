using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// One client's publishing, paced to options.Rate msg/s (0 = as fast as the connection takes them), until stopped.
/// QoS 0: one loop (the client's outgoing queue pushes back). QoS 1/2: options.Window loops, each awaiting its
/// acknowledgement, so at most Window publishes are in flight; a rate is split across the loops.
/// </summary>
internal static class PacedPublisher
{
    public static Task RunAsync(MqttClient client, string topic, Func<ReadOnlyMemory<byte>> payload, BenchOptions options, Counter sent, CancellationToken stop)
    {
        if (options.Qos == MqttQualityOfService.AtMostOnce)
        {
            return LoopAsync(client, topic, payload, options.Qos, options.Rate, sent, stop);
        }

        var window = Math.Max(1, options.Window);
        var rate = options.Rate == 0 ? 0 : Math.Max(1, options.Rate / window);
        return Task.WhenAll(Enumerable.Range(0, window).Select(_ => LoopAsync(client, topic, payload, options.Qos, rate, sent, stop)));
    }

    private static async Task LoopAsync(MqttClient client, string topic, Func<ReadOnlyMemory<byte>> payload, MqttQualityOfService qos, int rate, Counter sent, CancellationToken stop)
    {
        var pacer = rate > 0 ? new Pacer(rate) : null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (pacer is not null)
                {
                    await pacer.WaitForNextAsync(stop);
                }

                // QoS 0 completes synchronously once queued on the connection; QoS 1/2 await the acknowledgement.
                // The client does not copy the payload: a constant one may be shared, a changing one must be fresh.
                var publish = client.PublishAsync(topic, payload(), qos, cancellationToken: stop);
                if (!publish.IsCompletedSuccessfully)
                {
                    await publish;
                }

                sent.Increment();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (MqttConnectionClosedException)
        {
            // Reported through the disconnected count.
        }
    }
}

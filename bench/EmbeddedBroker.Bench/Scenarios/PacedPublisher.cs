using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>One publishing loop, paced to options.Rate msg/s (0 = as fast as the connection takes them), until stopped.</summary>
internal static class PacedPublisher
{
    public static async Task RunAsync(MqttClient client, string topic, byte[] payload, BenchOptions options, Counter sent, CancellationToken stop)
    {
        var pacer = options.Rate > 0 ? new Pacer(options.Rate) : null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (pacer is not null)
                {
                    await pacer.WaitForNextAsync(stop);
                }

                // QoS 0 completes synchronously once queued on the connection; QoS 1/2 await the acknowledgement.
                // The payload is the same bytes every time, so sharing one array is safe although the client does not copy it.
                var publish = client.PublishAsync(topic, payload, options.Qos, cancellationToken: stop);
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

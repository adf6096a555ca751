using System.Diagnostics;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// One publisher sends QoS 1 (or 2) messages one at a time to sensors/bench/&lt;run&gt;/ack and times each from send to
/// its PUBACK (PUBCOMP). With the broker's at-least-once recording (Recorder:AckAfterRecorded) the acknowledgement waits
/// for the message to be on disk, so comparing a run with it off and on gives that option's latency cost.
/// </summary>
internal static class AckLatencyScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.Qos == Protocol.MqttQualityOfService.AtMostOnce)
        {
            throw new ArgumentException("the ack scenario needs --qos 1 or 2 (QoS 0 has no acknowledgement)");
        }

        var topic = $"sensors/bench/{BenchClients.RunId}/ack";
        var payload = new byte[options.Payload];
        Array.Fill(payload, (byte)'7');
        var publisher = await BenchClients.ConnectAsync(options, "ack-p", cancellationToken);
        try
        {
            var warmupEnds = Stopwatch.GetTimestamp() + (long)(options.WarmupSeconds * Stopwatch.Frequency);
            var measureEnds = warmupEnds + (long)(options.Seconds * Stopwatch.Frequency);
            var samples = new List<long>(capacity: 100_000);
            while (Stopwatch.GetTimestamp() < measureEnds && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await publisher.PublishAsync(topic, payload, options.Qos, cancellationToken: cancellationToken);
                if (started >= warmupEnds)
                {
                    samples.Add(Stopwatch.GetTimestamp() - started);
                }
            }

            var result = new BenchResult("ack", options)
                .Set("payload", options.Payload)
                .Set("seconds", options.Seconds)
                .Set("msgPerSecond", samples.Count / Math.Max(options.Seconds, 1e-9));
            return Percentiles.Report(result, [.. samples]);
        }
        finally
        {
            await BenchClients.DisposeAllAsync([publisher]);
        }
    }
}

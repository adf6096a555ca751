using System.Diagnostics;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Retained messages at scale: one publisher stores --messages retained messages (default 100,000) on distinct topics
/// bench/&lt;run&gt;/r/&lt;i&gt;/v at QoS 1 (--window in flight, so every one is acknowledged, i.e. stored, before the
/// subscriber comes), then a fresh client subscribes to '#' at --qos and is timed from SUBSCRIBE until it has received
/// all of them (at most max(--seconds, 60) s). Reports both rates, the broker's RSS holding them and its CPU during
/// the subscribe. The messages stay retained afterwards: compare.sh runs this group last.
/// </summary>
internal static class RetainedScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var count = options.Messages;
        var prefix = $"bench/{BenchClients.RunId}/r/";
        var payload = new byte[options.Payload];

        var publishClock = Stopwatch.StartNew();
        await using (var publisher = await BenchClients.ConnectAsync(options, "r-p", cancellationToken))
        {
            await PublishAllAsync(publisher, prefix, payload, count, options, cancellationToken);
        }

        var publishSeconds = publishClock.Elapsed.TotalSeconds;
        var broker = BrokerWindow.StartIfKnown(options);
        var subscriber = await BenchClients.ConnectAsync(options, "r-s", cancellationToken);
        try
        {
            var limit = TimeSpan.FromSeconds(Math.Max(options.Seconds, 60));
            var clock = Stopwatch.StartNew();
            var subscribing = BenchClients.SubscribeAsync(subscriber, "#", options);
            var received = await ReceiveAsync(subscriber, prefix, count, limit, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            broker?.Stop();
            await subscribing;

            var result = new BenchResult("retained", options)
                .Set("messages", count)
                .Set("payload", options.Payload)
                .Set("publishSeconds", publishSeconds)
                .Set("publishPerSecond", count / publishSeconds)
                .Set("received", received)
                .Set("complete", received == count)
                .Set("subscribeSeconds", seconds)
                .Set("subscribePerSecond", received / seconds);
            broker?.Report(result, received);
            return result;
        }
        finally
        {
            await BenchClients.DisposeAllAsync([subscriber]);
        }
    }

    /// <summary>Publishes all at QoS 1, at most --window unacknowledged, and returns when every one was acknowledged.</summary>
    private static async Task PublishAllAsync(MqttClient publisher, string prefix, byte[] payload, int count, BenchOptions options, CancellationToken cancellationToken)
    {
        var windowSize = Math.Max(1, options.Window);
        using var window = new SemaphoreSlim(windowSize);
        Exception? failure = null;
        for (var i = 0; i < count && failure is null; i++)
        {
            await window.WaitAsync(cancellationToken);
            _ = publisher.PublishAsync($"{prefix}{i}/v", payload, MqttQualityOfService.AtLeastOnce, retain: true, cancellationToken)
                .ContinueWith(done =>
                {
                    Interlocked.CompareExchange(ref failure, done.Exception?.GetBaseException(), null);
                    window.Release();
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // Every permit back: every publish answered.
        for (var i = 0; i < windowSize; i++)
        {
            await window.WaitAsync(cancellationToken);
        }

        if (failure is not null)
        {
            throw new IOException($"Storing the retained messages failed: {failure.Message}", failure);
        }
    }

    /// <summary>Counts retained messages of this run until all arrived or the limit passed; returns how many.</summary>
    private static async Task<int> ReceiveAsync(MqttClient subscriber, string prefix, int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var received = 0;
        try
        {
            while (received < count && await subscriber.Messages.WaitToReadAsync(deadline.Token))
            {
                while (received < count && subscriber.Messages.TryRead(out var message))
                {
                    // Another run's leftovers (or $SYS, which '#' does not match anyway) are not counted.
                    if (message.Retain && message.Topic.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        received++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The limit passed: report what arrived.
        }

        return received;
    }
}

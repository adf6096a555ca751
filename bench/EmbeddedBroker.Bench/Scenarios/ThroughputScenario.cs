namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Saturation, publishers flat out:
/// fanin: P publishers on bench/&lt;run&gt;/&lt;i&gt; -> 1 subscriber on bench/&lt;run&gt;/#;
/// fanout: 1 publisher on bench/&lt;run&gt;/t -> N subscribers on it; p2p: 1 publisher -> 1 subscriber on one topic;
/// share: P publishers -> N subscribers in one group on $share/bench/bench/&lt;run&gt;/#, each message to one member,
/// checked exactly once by an <see cref="ExactlyOnceLedger"/>.
/// Publishers pipeline (QoS 0 not awaited one by one; QoS 1/2 with a bounded window). Counts what publishers got
/// accepted (sent) and what subscribers received (delivered) inside the measured window only, and the broker's CPU
/// per delivered message over that window when --broker-pid is given.
/// </summary>
internal static class ThroughputScenario
{
    public enum Shape
    {
        FanIn,
        FanOut,
        PointToPoint,
        Shared,
    }

    public static async Task<BenchResult> RunAsync(BenchOptions options, Shape shape, CancellationToken cancellationToken)
    {
        var manyPublishers = shape is Shape.FanIn or Shape.Shared;
        var publisherCount = manyPublishers ? options.Publishers : 1;
        var subscriberCount = shape is Shape.FanOut or Shape.Shared ? options.Subscribers : 1;
        var prefix = $"bench/{BenchClients.RunId}";
        var filter = shape switch
        {
            Shape.FanIn => $"{prefix}/#",
            Shape.Shared => $"$share/bench/{prefix}/#",
            _ => $"{prefix}/t",
        };
        var ledger = shape == Shape.Shared ? new ExactlyOnceLedger(publisherCount, options.Payload) : null;
        var constant = new ReadOnlyMemory<byte>(new byte[options.Payload]);
        Func<int, Func<ReadOnlyMemory<byte>>> payloadOf = ledger is null ? _ => () => constant : ledger.PayloadsOf;

        await using var subscribers = await SubscriberGroup.ConnectAsync(options, subscriberCount, _ => filter, cancellationToken);
        await using var publishers = await PublisherGroup.ConnectAsync(options, publisherCount, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = subscribers.CountAsync(options, ledger is null ? null : ledger.Record);
        var publishing = publishers.RunAsync(i => manyPublishers ? $"{prefix}/{i}" : $"{prefix}/t", payloadOf, options, stop.Token);
        var window = await MeasuredWindow.RunAsync(options, publishers.Sent, subscribers.Received, cancellationToken);

        await stop.CancelAsync();
        await publishing;
        var totalSent = Deliveries.Sum(publishers.Sent);
        await Deliveries.WaitUntilQuietAsync(subscribers.Received, TimeSpan.FromSeconds(3));
        var totalReceived = Deliveries.Sum(subscribers.Received);
        var exactlyOnce = ledger?.Snapshot(totalSent);
        // Each message goes to every subscriber, except in a share group, where it goes to one of them.
        var copies = shape == Shape.Shared ? 1 : subscriberCount;

        var result = new BenchResult(Name(shape), options)
            .Set("publishers", publisherCount)
            .Set("subscribers", subscriberCount)
            .Set("payload", options.Payload)
            .Set("topicAlias", options.TopicAlias)
            .Set("subscriptionId", options.SubscriptionId);
        window.Report(result)
            .Set("totalSent", totalSent)
            .Set("totalDelivered", totalReceived)
            // Delivered over expected for the whole run, drained: 1.0 = nothing lost.
            .Set("deliveryRatio", totalSent == 0 ? 0.0 : (double)totalReceived / (totalSent * copies))
            .Set("missingSubscriptionId", subscribers.MissingSubscriptionId)
            .Set("disconnected", subscribers.Disconnected + publishers.Disconnected);
        if (exactlyOnce is not null)
        {
            var perMember = subscribers.Received.Select(c => c.Value).ToArray();
            exactlyOnce.Report(result)
                .Set("leastPerMember", perMember.Length == 0 ? 0 : perMember.Min())
                .Set("mostPerMember", perMember.Length == 0 ? 0 : perMember.Max());
        }

        return result;
    }

    private static string Name(Shape shape) => shape switch
    {
        Shape.FanIn => "fanin",
        Shape.FanOut => "fanout",
        Shape.PointToPoint => "p2p",
        _ => "share",
    };
}

using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary><see cref="MqttBroker.PublishForAcknowledgementAsync"/>: a bridge acknowledges to its remote broker only once the local
/// broker has kept the message (the observers' receipts).</summary>
internal sealed class BridgePublishTests : BrokerScenario
{
    private HeldReceipt _observer = null!;

    protected override MqttBrokerHooks Hooks
    {
        get
        {
            _observer = new HeldReceipt(); // one per test: the broker is built again for each
            return new MqttBrokerHooks { Observers = [_observer] };
        }
    }

    [Test]
    public async Task Bridged_message_completes_only_after_the_observer_receipt_and_is_delivered_like_any_other()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("in/#", MqttQualityOfService.AtLeastOnce);

        var accepted = await Broker.PublishForAcknowledgementAsync(Bridged("in/a"), null);
        Assert.That(accepted.Outcome, Is.EqualTo(PublishOutcome.Delivered));
        await Task.Delay(100);
        Assert.That(accepted.Kept.IsCompleted, Is.False, "held while the observer keeps the message");

        _observer.Done.SetResult();
        await accepted.Kept.WaitAsync(TestClient.DefaultTimeout);
        Assert.That((await subscriber.ReceiveAsync<Protocol.Packets.PublishPacket>()).Topic, Is.EqualTo("in/a"));
    }

    [Test]
    public async Task Bridged_message_whose_receipt_faults_throws_so_that_it_is_not_acknowledged()
    {
        _observer.Done.SetException(new IOException("disk full"));

        var accepted = await Broker.PublishForAcknowledgementAsync(Bridged("in/b"), null);
        await Assert.ThrowsAsync<IOException>(async () => await accepted.Kept);
    }

    [Test]
    public async Task Bridged_publish_waits_for_a_congested_subscriber_to_drain_instead_of_overflowing_its_queue()
    {
        // High-water mark 10 of 20: the in-memory transport stops writing to a client that reads nothing after 64 KiB.
        Restart(new MqttBrokerOptions { EnableSysTopics = false, MaximumQueuedMessagesPerClient = 20, PublisherBackpressureTimeout = TimeSpan.FromSeconds(20) });
        var subscriber = await ConnectedClientAsync("slow");
        await subscriber.SubscribeAsync("in/#", MqttQualityOfService.AtLeastOnce);
        const int count = 200;
        var payload = new byte[1024];
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
                await Broker.PublishForAcknowledgementAsync(Bridged("in/c") with { Payload = payload }, null);
        });

        await WaitUntilAsync(() => Broker.Statistics.PublisherThrottles > 0, "the bridged publisher is throttled");
        Assert.That(publishing.IsCompleted, Is.False, "held while the subscriber reads nothing");

        for (var i = 0; i < count; i++)
            await subscriber.ReceivePublishAsync();
        await publishing.WaitAsync(TestClient.DefaultTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.Zero);
            Assert.That(Broker.Statistics.PublisherBackpressureTimeouts, Is.Zero);
        });
    }

    private static MqttApplicationMessage Bridged(string topic) => new()
    {
        Topic = topic,
        Payload = "x"u8.ToArray(),
        Qos = MqttQualityOfService.AtLeastOnce,
        Source = MessageSource.Bridge,
        SourceClientId = "local.bridge",
    };

    private sealed class HeldReceipt : IPublishObserver
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PublishReceipt OnMessageAccepted(MqttApplicationMessage message) => PublishReceipt.WaitFor(Done.Task);
    }
}

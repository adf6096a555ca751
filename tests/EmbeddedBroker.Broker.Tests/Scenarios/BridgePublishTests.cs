using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary><see cref="MqttBroker.PublishAndWaitAsync"/>: a bridge acknowledges to its remote broker only once the local
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

        var publishing = Broker.PublishAndWaitAsync(Bridged("in/a"), null).AsTask();
        await Task.Delay(100);
        Assert.That(publishing.IsCompleted, Is.False, "held while the observer keeps the message");

        _observer.Done.SetResult();
        Assert.That(await publishing.WaitAsync(TestClient.DefaultTimeout), Is.EqualTo(PublishOutcome.Delivered));
        Assert.That((await subscriber.ReceiveAsync<Protocol.Packets.PublishPacket>()).Topic, Is.EqualTo("in/a"));
    }

    [Test]
    public async Task Bridged_message_whose_receipt_faults_throws_so_that_it_is_not_acknowledged()
    {
        _observer.Done.SetException(new IOException("disk full"));

        await Assert.ThrowsAsync<IOException>(async () => await Broker.PublishAndWaitAsync(Bridged("in/b"), null));
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

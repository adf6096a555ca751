using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>
/// Back-pressure from a subscriber's queue to the publishing connection (MqttBrokerOptions.Backpressure*): the in-memory
/// transport to a client pauses its writer after 64 KiB unread, so 1 KiB messages to a client that does not read fill its
/// broker-side queue quickly.
/// </summary>
internal sealed class BackpressureTests : BrokerScenario
{
    private const int PayloadSize = 1024;

    // High-water mark 10, low-water mark 5.
    private static MqttBrokerOptions Limits(TimeSpan timeout) => new()
    {
        EnableSysTopics = false,
        MaximumQueuedMessagesPerClient = 20,
        PublisherBackpressureTimeout = timeout,
    };

    [Test]
    public async Task Slow_subscriber_throttles_a_fast_qos0_publisher_instead_of_losing_messages()
    {
        Restart(Limits(TimeSpan.FromSeconds(20)));
        const int count = 400;
        var subscriber = await ConnectedClientAsync("slow");
        await subscriber.SubscribeAsync("t");
        var publisher = await ConnectedClientAsync("fast");
        var sending = PublishNumberedAsync(publisher, count);

        // The subscriber reads nothing yet: the broker stops reading the publisher instead of accepting and dropping.
        await WaitUntilAsync(() => Broker.Statistics.PublisherThrottles > 0, "the publisher is throttled");
        await Task.Delay(200);
        Assert.Multiple(() =>
        {
            Assert.That(Broker.Statistics.MessagesReceived, Is.LessThan(count / 2), "accepted while the subscriber was not reading");
            Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.Zero);
        });

        // A slow reader gets every message, in order (MQTT-4.6.0-6 for QoS 0 on one topic).
        for (var i = 0; i < count; i++)
        {
            var publish = await subscriber.ReceivePublishAsync();
            Assert.That(BitConverter.ToInt32(publish.Payload.Span), Is.EqualTo(i));
            if (i % 50 == 0)
                await Task.Delay(20);
        }

        await sending;
        Assert.Multiple(() =>
        {
            Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.Zero);
            Assert.That(Broker.Statistics.PublisherBackpressureTimeouts, Is.Zero);
            Assert.That(Broker.Statistics.MessagesReceived, Is.EqualTo(count));
        });
    }

    [Test]
    public async Task Without_backpressure_a_slow_subscriber_loses_what_exceeds_its_queue()
    {
        Restart(Limits(TimeSpan.Zero));
        const int count = 400;
        var subscriber = await ConnectedClientAsync("slow");
        await subscriber.SubscribeAsync("t");
        var publisher = await ConnectedClientAsync("fast");
        await PublishNumberedAsync(publisher, count);

        await WaitUntilAsync(() => Broker.Statistics.MessagesReceived == count, "every message is accepted");
        Assert.Multiple(() =>
        {
            Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.GreaterThan(0));
            Assert.That(Broker.Statistics.PublisherThrottles, Is.Zero);
        });
    }

    [Test]
    public async Task Stuck_subscriber_does_not_block_a_publisher_beyond_the_timeout_and_others_keep_receiving()
    {
        Restart(Limits(TimeSpan.FromMilliseconds(500)));
        const int count = 300;
        var stuck = await ConnectedClientAsync("stuck");
        await stuck.SubscribeAsync("t");
        var healthy = await ConnectedClientAsync("healthy");
        await healthy.SubscribeAsync("t");
        var publisher = await ConnectedClientAsync("pub");
        var sending = PublishNumberedAsync(publisher, count);

        for (var i = 0; i < count; i++)
        {
            var publish = await healthy.ReceivePublishAsync();
            Assert.That(BitConverter.ToInt32(publish.Payload.Span), Is.EqualTo(i));
        }

        await sending;
        Assert.Multiple(() =>
        {
            Assert.That(Broker.Statistics.MessagesReceived, Is.EqualTo(count));
            // The stuck client's queue overflowed: dropped and counted, not waited for message after message
            // (that would be one timeout per message; a few are tolerated for a healthy reader descheduled on a busy machine).
            Assert.That(Broker.Statistics.MessagesDroppedQueueFull, Is.GreaterThan(0));
            Assert.That(Broker.Statistics.PublisherBackpressureTimeouts, Is.InRange(1, 5));
        });

        // Once the stuck client reads again it gets the oldest messages first: drops happen at the tail of its queue.
        var first = await stuck.ReceivePublishAsync();
        Assert.That(BitConverter.ToInt32(first.Payload.Span), Is.Zero);
    }

    [Test]
    public async Task Publisher_waiting_for_a_subscriber_resumes_when_that_subscriber_disconnects()
    {
        Restart(Limits(TimeSpan.FromSeconds(20)));
        const int count = 200;
        var subscriber = await ConnectedClientAsync("leaving");
        await subscriber.SubscribeAsync("t");
        var publisher = await ConnectedClientAsync("pub");
        var sending = PublishNumberedAsync(publisher, count);
        await WaitUntilAsync(() => Broker.Statistics.PublisherThrottles > 0, "the publisher is throttled");

        await subscriber.AbortAsync();
        await sending;
        await WaitUntilAsync(() => Broker.Statistics.MessagesReceived == count, "the publisher resumed long before the 20 s timeout");
        Assert.That(Broker.Statistics.PublisherBackpressureTimeouts, Is.Zero);
    }

    /// <summary>QoS 0 messages whose payload starts with their index; sent without waiting for anything.</summary>
    private static async Task PublishNumberedAsync(TestClient publisher, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[PayloadSize];
            BitConverter.TryWriteBytes(payload, i);
            await publisher.SendAsync(new PublishPacket { Topic = "t", Qos = MqttQualityOfService.AtMostOnce, Payload = payload });
        }
    }
}

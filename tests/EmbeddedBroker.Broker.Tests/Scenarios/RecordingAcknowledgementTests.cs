using System.Collections.Concurrent;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>The acknowledgement gate (an <see cref="IPublishObserver"/>'s receipt, e.g. at-least-once recording): PUBACK / PUBREC only once the receipt completes.</summary>
internal sealed class RecordingAcknowledgementTests : BrokerScenario
{
    private const MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;
    private const MqttQualityOfService Qos2 = MqttQualityOfService.ExactlyOnce;

    private FakeReceiptObserver _recorder = null!;

    protected override MqttBrokerHooks Hooks
    {
        get
        {
            _recorder = new FakeReceiptObserver();
            return new MqttBrokerHooks { Observers = [_recorder] };
        }
    }

    [Test]
    public async Task Qos1_PUBACK_is_sent_only_after_the_message_is_recorded()
    {
        var publisher = await ConnectedClientAsync("pub");
        await publisher.SendAsync(Publish(1, Qos1));
        var recording = await _recorder.NextAsync();
        Assert.That(recording.Message.Topic, Is.EqualTo("t/1"));
        await publisher.AssertNothingReceivedAsync();

        recording.Done.SetResult();
        var ack = await publisher.ReceiveAsync<PubAckPacket>();
        Assert.That(ack.PacketId, Is.EqualTo(1));
    }

    [Test]
    public async Task Acknowledgements_keep_the_order_of_the_PUBLISH_packets_when_recording_completes_out_of_order_MQTT_4_6_0_2_and_3()
    {
        var publisher = await ConnectedClientAsync("pub");
        await publisher.SendAsync(Publish(1, Qos1));
        await publisher.SendAsync(Publish(2, Qos2));
        await publisher.SendAsync(Publish(3, Qos1));
        var first = await _recorder.NextAsync();
        var second = await _recorder.NextAsync();
        var third = await _recorder.NextAsync();

        third.Done.SetResult();
        second.Done.SetResult();
        await publisher.AssertNothingReceivedAsync();
        first.Done.SetResult();

        Assert.That((await publisher.ReceiveAsync<PubAckPacket>()).PacketId, Is.EqualTo(1));
        Assert.That((await publisher.ReceiveAsync<PubRecPacket>()).PacketId, Is.EqualTo(2));
        Assert.That((await publisher.ReceiveAsync<PubAckPacket>()).PacketId, Is.EqualTo(3));
    }

    [Test]
    public async Task While_an_acknowledgement_waits_the_connection_keeps_reading_and_the_message_is_delivered()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t/#", Qos1);
        var publisher = await ConnectedClientAsync("pub");
        await publisher.SendAsync(Publish(1, Qos1));
        var recording = await _recorder.NextAsync();

        // Not held up by the disk: delivery to subscribers and the answer to PINGREQ (MQTT-3.12.4-1).
        Assert.That((await subscriber.ReceivePublishAsync()).Topic, Is.EqualTo("t/1"));
        await publisher.SendAsync(PingReqPacket.Instance);
        await publisher.ReceiveAsync<PingRespPacket>();

        recording.Done.SetResult();
        Assert.That((await publisher.ReceiveAsync<PubAckPacket>()).PacketId, Is.EqualTo(1));
    }

    [Test]
    public async Task Failed_recording_is_answered_to_an_MQTT5_client_with_reason_0x80()
    {
        var publisher = NewClient(MqttProtocolVersion.V500);
        await publisher.ConnectOkAsync("pub5");
        await publisher.SendAsync(Publish(1, Qos1));
        await publisher.SendAsync(Publish(2, Qos2));
        (await _recorder.NextAsync()).Done.SetException(new InvalidOperationException("queue full"));
        (await _recorder.NextAsync()).Done.SetException(new InvalidOperationException("queue full"));

        var ack = await publisher.ReceiveAsync<PubAckPacket>();
        var rec = await publisher.ReceiveAsync<PubRecPacket>();
        Assert.Multiple(() =>
        {
            Assert.That((ack.PacketId, ack.ReasonCode), Is.EqualTo(((ushort)1, MqttReasonCode.UnspecifiedError)));
            Assert.That((rec.PacketId, rec.ReasonCode), Is.EqualTo(((ushort)2, MqttReasonCode.UnspecifiedError)));
            Assert.That(Broker.Statistics.RecordingAcknowledgementFailures, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Failed_recording_withholds_the_MQTT311_acknowledgement_and_a_resent_qos2_message_is_recorded_again()
    {
        var publisher = await ConnectedClientAsync("pub");
        await publisher.SendAsync(Publish(1, Qos1));
        await publisher.SendAsync(Publish(2, Qos2));
        await publisher.SendAsync(Publish(3, Qos1));
        (await _recorder.NextAsync()).Done.SetException(new InvalidOperationException("queue full"));
        (await _recorder.NextAsync()).Done.SetException(new InvalidOperationException("queue full"));
        (await _recorder.NextAsync()).Done.SetResult();

        // 1 and 2 get nothing (3.1.1 cannot say "failed"); 3 is acknowledged.
        Assert.That((await publisher.ReceiveAsync<PubAckPacket>()).PacketId, Is.EqualTo(3));
        await publisher.AssertNothingReceivedAsync();

        // The client resends QoS 2 id 2 (DUP): not a swallowed duplicate (MQTT-4.3.3-2) but a message to record again.
        await publisher.SendAsync(Publish(2, Qos2, dup: true));
        var again = await _recorder.NextAsync();
        Assert.That(again.Message.Topic, Is.EqualTo("t/2"));
        again.Done.SetResult();
        Assert.That((await publisher.ReceiveAsync<PubRecPacket>()).PacketId, Is.EqualTo(2));
    }

    [Test]
    public async Task An_observer_without_a_receipt_does_not_hold_acknowledgements_back()
    {
        _recorder.IsEnabled = false;
        var publisher = await ConnectedClientAsync("pub");
        Assert.That(await publisher.PublishAsync("t/1", "x", Qos1), Is.EqualTo(MqttReasonCode.Success));
        Assert.That(_recorder.Calls, Is.Zero);
    }

    private static PublishPacket Publish(ushort id, MqttQualityOfService qos, bool dup = false) =>
        new() { Topic = $"t/{id}", Qos = qos, PacketId = id, Dup = dup, Payload = "x"u8.ToArray() };

    private sealed record Recording(MqttApplicationMessage Message, TaskCompletionSource Done);

    /// <summary>Records nothing: each QoS 1/2 message gets a receipt the test completes (or faults) when it chooses.</summary>
    private sealed class FakeReceiptObserver : IPublishObserver
    {
        private readonly ConcurrentQueue<Recording> _waits = new();
        private int _calls;

        /// <summary>False: every message gets <see cref="PublishReceipt.None"/> (the recorder without AckAfterRecorded).</summary>
        public bool IsEnabled { get; set; } = true;

        /// <summary>Receipts handed out.</summary>
        public int Calls => Volatile.Read(ref _calls);

        public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
        {
            if (!IsEnabled || message.Qos == MqttQualityOfService.AtMostOnce)
                return PublishReceipt.None;
            Interlocked.Increment(ref _calls);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Enqueue(new Recording(message, done));
            return PublishReceipt.WaitFor(done.Task);
        }

        /// <summary>The next wait the broker started, in call order.</summary>
        public async Task<Recording> NextAsync()
        {
            var deadline = DateTime.UtcNow + TestClient.DefaultTimeout;
            Recording? recording;
            while (!_waits.TryDequeue(out recording))
            {
                if (DateTime.UtcNow > deadline)
                    Assert.Fail("the broker did not wait for the recorder");
                await Task.Delay(5);
            }

            return recording;
        }
    }
}

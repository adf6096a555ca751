using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    // QoS 0 backpressure: how many QoS 0 publishes sit in the writer's queue, and who waits for it to shrink.
    private readonly Lock _roomLock = new();
    private readonly Queue<TaskCompletionSource> _waitingForRoom = new();
    private int _queuedQos0;

    /// <summary>
    /// Publishes an application message. QoS 0 completes once queued for the writer (later, when the outgoing queue
    /// is over <see cref="MqttClientOptions.OutgoingQueueCapacity"/>); QoS 1 completes on PUBACK; QoS 2 on PUBCOMP after
    /// the PUBREC/PUBREL exchange. Do not await each call to pipeline: many publishes may be in flight at once, and
    /// they leave in call order whatever their QoS.
    /// </summary>
    /// <param name="payload">Not copied: keep the memory unchanged until the message is written (e.g. a fresh array per message).</param>
    /// <exception cref="ArgumentException">The topic is not a valid topic name (MQTT-3.3.2-2, MQTT-4.7.3-1).</exception>
    /// <exception cref="MqttOperationException">The server answered with a failure reason code (MQTT 5).</exception>
    /// <exception cref="MqttConnectionClosedException">The connection ended first.</exception>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!MqttTopic.IsValidTopicName(topic))
        {
            throw new ArgumentException($"'{topic}' is not a valid topic name.", nameof(topic));
        }

        if (qos == MqttQualityOfService.AtMostOnce)
        {
            return PublishQos0(new PublishPacket { Topic = topic, Payload = payload, Retain = retain }, cancellationToken);
        }

        return PublishWithAcknowledgementAsync(new PendingOperation(
            qos == MqttQualityOfService.AtLeastOnce ? PendingKind.PublishQos1 : PendingKind.PublishQos2AwaitingPubRec,
            topic, payload, qos, retain), cancellationToken);
    }

    private Task PublishQos0(PublishPacket packet, CancellationToken cancellationToken)
    {
        CheckSize(packet);
        Interlocked.Increment(ref _queuedQos0);
        if (!IsConnected || !_outgoing.Writer.TryWrite(OutgoingPacket.ForPacket(packet, holdsCredit: true)))
        {
            Interlocked.Decrement(ref _queuedQos0);
            return Task.FromException(new MqttConnectionClosedException());
        }

        if (Volatile.Read(ref _queuedQos0) <= _options.OutgoingQueueCapacity)
        {
            return Task.CompletedTask;
        }

        // Already queued, in order; the caller only waits for the queue to drain below its capacity.
        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_roomLock)
        {
            _waitingForRoom.Enqueue(room);
        }

        // The writer may have drained the queue between the check above and the enqueue.
        OnQos0Written(0);
        return room.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Called by the writer loop after flushing <paramref name="count"/> QoS 0 publishes.</summary>
    private void OnQos0Written(int count)
    {
        if (Interlocked.Add(ref _queuedQos0, -count) > _options.OutgoingQueueCapacity)
        {
            return;
        }

        lock (_roomLock)
        {
            while (_waitingForRoom.TryDequeue(out var room))
            {
                room.TrySetResult();
            }
        }
    }

    private void FailQos0Waiters(Exception reason)
    {
        lock (_roomLock)
        {
            while (_waitingForRoom.TryDequeue(out var room))
            {
                room.TrySetException(reason);
            }
        }
    }

    private async Task PublishWithAcknowledgementAsync(PendingOperation publish, CancellationToken cancellationToken)
    {
        if (_serverMaximumPacketSize is not null)
        {
            CheckSize(publish.ToPacketForSizing()); // no identifier yet: it is taken when the window has room
        }

        _pending.StartPublish(publish);
        try
        {
            await publish.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not sent yet: it will be skipped. Already sent: it stays in flight until answered, the caller just stops waiting.
            publish.TrySetCanceled(cancellationToken);
            throw;
        }
    }

    /// <summary>Called by <see cref="PendingOperations"/> (under its lock, in order) when a publish got its identifier.</summary>
    private bool SendPublish(PendingOperation publish) => _outgoing.Writer.TryWrite(OutgoingPacket.ForPacket(publish.ToPublishPacket()));

    /// <summary>MQTT 5: never send a packet larger than the server's Maximum Packet Size (MQTT-3.2.2-15).</summary>
    private void CheckSize(PublishPacket packet)
    {
        if (_serverMaximumPacketSize is { } maximum && MqttPacketEncoder.GetEncodedSize(packet, _version) > maximum)
        {
            throw new ArgumentException($"The PUBLISH exceeds the server's Maximum Packet Size of {maximum} bytes.", nameof(packet));
        }
    }
}

using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>Delivery to one session: queueing within its limits, handing packets to its connection, acknowledgements.</summary>
internal sealed partial class MqttSession
{
    private readonly SessionQueue _queue;
    private readonly InflightWindow _inflight = new();

    /// <summary>Retained messages matched by new subscriptions, sent before the live queue at the client's pace and not
    /// counted against its limits (MQTT-3.3.1-6: every one is delivered); created at the first such subscription.</summary>
    private Queue<RetainedDelivery>? _retainedBacklog;

    private long _nextSequence;

    /// <summary>Bytes of the messages queued and in flight, against <see cref="SessionQueueLimits.MaximumBytes"/>.</summary>
    private long _heldBytes;

    public int QueuedCount
    {
        get
        {
            lock (_lock)
                return _queue.Count + (_retainedBacklog?.Count ?? 0);
        }
    }

    public int InflightCount
    {
        get
        {
            lock (_lock)
                return _inflight.Count;
        }
    }

    /// <summary>
    /// Queues one delivery. QoS 0 is not kept for an offline client. A full queue (in messages or bytes) drops the
    /// message and counts it. Returns true when the client is online and its queue reached the back-pressure
    /// high-water mark (and it is not known to be stuck): the publisher should then wait with <see cref="GetDrainTask"/>.
    /// </summary>
    public bool Enqueue(MqttApplicationMessage message, MqttQualityOfService qos, bool retain,
        IReadOnlyList<uint>? identifiers = null, SharedGroup<MqttSession>? group = null)
    {
        ISessionOwner? owner;
        bool congested;
        lock (_lock)
        {
            if (_discarded)
                return false;
            owner = _owner;
            if (owner is null && !SessionQueue.KeepsWhileOffline(qos))
                return false;
            var size = QueuedDelivery.SizeOf(message);
            if (_queue.IsFull || _heldBytes + size > _environment.Limits.MaximumBytes)
            {
                _environment.Statistics.MessageDroppedQueueFull();
                return owner is not null && _queue.IsCongested;
            }

            if (qos == MqttQualityOfService.AtMostOnce && _queue.Count > 0 && _environment.Memory.IsExceeded)
            {
                _environment.Statistics.MessageDroppedMemory(); // over budget, no QoS 0 backlog builds up anywhere
                return false;
            }

            var delivery = new QueuedDelivery(message, qos, retain, ++_nextSequence, size, identifiers, group);
            _queue.Enqueue(delivery);
            Hold(size);
            _journal?.Queued(delivery);
            congested = owner is not null && _queue.IsCongested;
        }

        owner?.SignalOutbound();
        return congested;
    }

    /// <summary>Queues the retained messages a new subscription matched (retain=1, MQTT-3.3.1-8), after what is queued.</summary>
    public void EnqueueRetained(IReadOnlyList<RetainedDelivery> retained)
    {
        ISessionOwner? owner;
        lock (_lock)
        {
            if (_discarded)
                return;
            _retainedBacklog ??= new Queue<RetainedDelivery>(retained.Count);
            foreach (var entry in retained)
                _retainedBacklog.Enqueue(entry);
            owner = _owner;
        }

        owner?.SignalOutbound();
    }

    /// <summary>A task that completes once the queue is back at the low-water mark (or the client went offline); null when
    /// there is nothing to wait for.</summary>
    public Task? GetDrainTask()
    {
        lock (_lock)
            return _owner is null || _discarded ? null : _queue.GetDrainTask();
    }

    /// <summary>A publisher waited PublisherBackpressureTimeout in vain: until the queue drains to the low-water mark,
    /// publishers stop waiting for this client and what does not fit in its queue is dropped.</summary>
    public void MarkStalled()
    {
        lock (_lock)
            _queue.MarkStalled();
    }

    /// <summary>
    /// Moves up to <paramref name="maximum"/> packets that may be sent now into <paramref name="batch"/>: first what must be
    /// re-sent after a reconnect, then the retained backlog, then queued messages in order while the in-flight window
    /// has room. Nothing is handed to a connection that no longer owns the session.
    /// </summary>
    public void TakeSendable(ISessionOwner owner, List<OutboundItem> batch, int maximum, DateTimeOffset now)
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            if (!ReferenceEquals(_owner, owner))
                return;

            if (_inflight.HasResends)
                _inflight.TakeResends(batch);

            TakeRetainedBacklogLocked(batch, maximum);
            while (batch.Count < maximum && _queue.TryPeek(out var next))
            {
                if (SessionQueue.IsExpired(next.Message, now))
                {
                    _queue.Dequeue();
                    EndLocked(next);
                    continue;
                }

                if (next.Qos != MqttQualityOfService.AtMostOnce && !_inflight.HasRoom)
                    break; // in-order delivery: QoS 0 behind a blocked QoS 1/2 message waits too.
                _queue.Dequeue();
                batch.Add(Send(next));
            }

            drained = _queue.TakeDrainedIfLow();
        }

        drained?.TrySetResult(); // publishers paused for this client resume
    }

    /// <summary>PUBACK for a QoS 1 message: it is delivered; the window opens for the next one.</summary>
    public AcknowledgementResult CompletePubAck(ushort packetId) => Acknowledge(packetId, InflightState.AwaitingPubAck);

    /// <summary>PUBCOMP ends a QoS 2 flow.</summary>
    public AcknowledgementResult CompletePubComp(ushort packetId) => Acknowledge(packetId, InflightState.AwaitingPubComp);

    /// <summary>PUBREC: the receiver owns the message now; the PUBLISH is never re-sent after PUBREL, only the PUBREL
    /// (MQTT-4.3.3-1). A repeated PUBREC for a flow already at that stage is answered again (Accepted).</summary>
    public AcknowledgementResult ReceivedPubRec(ushort packetId)
    {
        lock (_lock)
        {
            switch (_inflight.StateOf(packetId))
            {
                case null:
                    return AcknowledgementResult.UnknownPacketId;
                case InflightState.AwaitingPubAck:
                    return AcknowledgementResult.WrongPacketType;
            }

            if (_inflight.ReceivedPubRec(packetId) is { } entry)
                _journal?.Sent(entry);
            return AcknowledgementResult.Accepted;
        }
    }

    /// <summary>Ends a flow whatever its state: a 5.0 PUBREC with an error reason, or a message too large for the client.</summary>
    public bool Abandon(ushort packetId) => Complete(packetId, expected: null, acknowledged: false);

    private AcknowledgementResult Acknowledge(ushort packetId, InflightState expected)
    {
        if (Complete(packetId, expected, acknowledged: true))
            return AcknowledgementResult.Accepted;
        lock (_lock)
            return _inflight.StateOf(packetId) is null ? AcknowledgementResult.UnknownPacketId : AcknowledgementResult.WrongPacketType;
    }

    private bool Complete(ushort packetId, InflightState? expected, bool acknowledged)
    {
        ISessionOwner? owner;
        InflightDelivery? entry;
        lock (_lock)
        {
            entry = _inflight.Complete(packetId, expected);
            if (entry is null)
                return false;
            EndLocked(entry.Delivery);
            owner = _queue.Count > 0 || _retainedBacklog is { Count: > 0 } ? _owner : null;
        }

        owner?.SignalOutbound();
        if (acknowledged)
        {
            foreach (var observer in _environment.DeliveryObservers)
                observer.OnDeliveryAcknowledged(Identity, entry.Delivery.Message, entry.Delivery.Qos);
        }

        return true;
    }

    /// <summary>The packet for a delivery taken from the queue: QoS 0 leaves at once, QoS 1/2 enters the in-flight window.</summary>
    private OutboundItem Send(in QueuedDelivery delivery)
    {
        if (delivery.Qos == MqttQualityOfService.AtMostOnce)
        {
            EndLocked(delivery);
            return new OutboundItem(OutboundKind.Publish, delivery.Message, delivery.Qos, delivery.Retain, false, 0, delivery.Identifiers);
        }

        var entry = _inflight.Add(delivery);
        _journal?.Sent(entry);
        return new OutboundItem(OutboundKind.Publish, delivery.Message, delivery.Qos, delivery.Retain, false, entry.PacketId, delivery.Identifiers);
    }

    private void TakeRetainedBacklogLocked(List<OutboundItem> batch, int maximum)
    {
        var backlog = _retainedBacklog;
        while (backlog is { Count: > 0 } && batch.Count < maximum)
        {
            var (message, qos, identifiers) = backlog.Peek();
            if (qos != MqttQualityOfService.AtMostOnce && !_inflight.HasRoom)
                return;
            backlog.Dequeue();
            var delivery = new QueuedDelivery(message, qos, Retain: true, ++_nextSequence, Size: 0, identifiers);
            _journal?.Queued(delivery);
            batch.Add(Send(delivery));
        }
    }

    /// <summary>A client gone offline is not kept QoS 0 messages (as for the live queue).</summary>
    private void DropQos0BacklogLocked()
    {
        if (_retainedBacklog is not { Count: > 0 } backlog)
            return;
        var kept = backlog.Where(e => e.Qos != MqttQualityOfService.AtMostOnce).ToList();
        backlog.Clear();
        foreach (var entry in kept)
            backlog.Enqueue(entry);
    }

    /// <summary>A delivery left the session (sent at QoS 0, acknowledged, expired, abandoned): release its bytes.</summary>
    private void EndLocked(in QueuedDelivery delivery)
    {
        _heldBytes -= delivery.Size;
        _environment.Memory.Release(delivery.Size);
        _journal?.Ended(delivery);
    }

    private void Hold(int size)
    {
        _heldBytes += size;
        _environment.Memory.Add(size);
    }

    private void RestoreDeliveryLocked(StoredDelivery stored)
    {
        var delivery = new QueuedDelivery(stored.Message, stored.Qos, stored.Retain, stored.Sequence, QueuedDelivery.SizeOf(stored.Message));
        _nextSequence = Math.Max(_nextSequence, stored.Sequence);
        Hold(delivery.Size);
        switch (stored.State)
        {
            case StoredDeliveryState.Queued:
                _queue.Enqueue(delivery);
                break;
            case StoredDeliveryState.AwaitingPubComp:
                _inflight.Restore(delivery, stored.PacketId, InflightState.AwaitingPubComp);
                break;
            default:
                _inflight.Restore(delivery, stored.PacketId,
                    stored.State == StoredDeliveryState.AwaitingPubAck ? InflightState.AwaitingPubAck : InflightState.AwaitingPubRec);
                break;
        }
    }
}

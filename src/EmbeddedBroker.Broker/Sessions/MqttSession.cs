using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// The server-side session of one client id (MQTT 4.1): its subscriptions, the messages queued for it
/// (<see cref="SessionQueue"/>), outbound QoS 1/2 messages in flight (<see cref="InflightWindow"/>), and inbound QoS 2
/// packet ids not yet released. It outlives connections when the session is persistent. All state is guarded by one
/// short per-session lock; subscription tree updates are made under it (lock order: session, then tree) so a discarded
/// session can never re-enter the tree.
/// </summary>
internal sealed class MqttSession
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttTopicSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly SessionQueue _queue;
    private readonly InflightWindow _inflight = new();
    private readonly HashSet<ushort> _incomingQos2 = [];
    private readonly SubscriptionTree<MqttSession> _tree;
    private readonly BrokerStatistics _statistics;
    private ISessionOwner? _owner;
    private bool _discarded;

    public MqttSession(string clientId, SubscriptionTree<MqttSession> tree, BrokerStatistics statistics, SessionQueueLimits limits)
    {
        ClientId = clientId;
        Identity = new MqttClientIdentity(clientId, null, new MqttConnectionContext());
        _tree = tree;
        _statistics = statistics;
        _queue = new SessionQueue(limits);
    }

    public string ClientId { get; }

    /// <summary>Who the session belongs to, as authenticated by its latest connection (the delivery authorizer's subject).</summary>
    public MqttClientIdentity Identity { get; private set; }

    /// <summary>Seconds the session outlives its connection: 0 ends it with the connection; uint.MaxValue never expires.</summary>
    public uint ExpiryInterval { get; set; }

    /// <summary>Environment.TickCount64 at which an offline session expires; null while online or when it never expires.</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>A will waiting for its MQTT 5 Will Delay Interval (3.1.2.5); cancelled when the client reconnects (MQTT-3.1.3-9).</summary>
    public DelayedWill? PendingWill { get; set; }

    public ISessionOwner? Owner
    {
        get
        {
            lock (_lock)
                return _owner;
        }
    }

    public int QueuedCount
    {
        get
        {
            lock (_lock)
                return _queue.Count;
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

    /// <summary>Binds a new connection. Everything in flight is re-sent to it, PUBLISH with DUP=1 (MQTT-4.4.0-1).</summary>
    public void Attach(ISessionOwner owner, int sendWindow, MqttClientIdentity identity)
    {
        lock (_lock)
        {
            _owner = owner;
            Identity = identity;
            _inflight.Restart(sendWindow);
            ExpiresAt = null;
        }
    }

    /// <summary>Unbinds <paramref name="owner"/> if it still owns the session; false when another connection took over.</summary>
    public bool Detach(ISessionOwner owner)
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            if (!ReferenceEquals(_owner, owner))
                return false;
            _owner = null;
            drained = _queue.TakeDrained();
        }

        drained?.TrySetResult(); // publishers never wait for an offline session
        return true;
    }

    /// <summary>Ends the session: its subscriptions leave the tree and its queues are dropped.</summary>
    public void Discard()
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            drained = _queue.TakeDrained();
            _discarded = true;
            _owner = null;
            foreach (var filter in _subscriptions.Keys)
            {
                if (_tree.Remove(this, filter))
                    _statistics.SubscriptionRemoved();
            }

            _subscriptions.Clear();
            _queue.Clear();
            _inflight.Clear();
            _incomingQos2.Clear();
        }

        drained?.TrySetResult();
    }

    /// <summary>Adds or replaces the subscription for its filter (MQTT-3.8.4-3). Returns false if the session was discarded.</summary>
    public bool TryAddSubscription(MqttTopicSubscription subscription, out bool isNew)
    {
        lock (_lock)
        {
            isNew = false;
            if (_discarded)
                return false;
            _subscriptions[subscription.TopicFilter] = subscription;
            isNew = _tree.AddOrReplace(this, subscription);
            if (isNew)
                _statistics.SubscriptionAdded();
            return true;
        }
    }

    public bool RemoveSubscription(string topicFilter)
    {
        lock (_lock)
        {
            if (!_subscriptions.Remove(topicFilter))
                return false;
            if (_tree.Remove(this, topicFilter))
                _statistics.SubscriptionRemoved();
            return true;
        }
    }

    public IReadOnlyList<SubscriptionInfo> GetSubscriptions()
    {
        lock (_lock)
            return [.. _subscriptions.Values.Select(s => new SubscriptionInfo(s.TopicFilter, s.MaximumQos))];
    }

    /// <summary>
    /// Queues one delivery. QoS 0 is not kept for an offline client. A full queue drops the message and counts it.
    /// Returns true when the client is online and its queue reached the back-pressure high-water mark (and it is not
    /// known to be stuck): the publisher should then wait with <see cref="GetDrainTask"/> before publishing more.
    /// </summary>
    public bool Enqueue(MqttApplicationMessage message, MqttQualityOfService qos, bool retain)
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
            if (_queue.IsFull)
            {
                _statistics.MessageDroppedQueueFull();
                return owner is not null && _queue.IsCongested;
            }

            _queue.Enqueue(new QueuedDelivery(message, qos, retain));
            congested = owner is not null && _queue.IsCongested;
        }

        owner?.SignalOutbound();
        return congested;
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
    /// re-sent after a reconnect, then queued messages in order while the in-flight window has room. Nothing is handed
    /// to a connection that no longer owns the session.
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

            while (batch.Count < maximum && _queue.TryPeek(out var next))
            {
                if (SessionQueue.IsExpired(next.Message, now))
                {
                    _queue.Dequeue();
                    continue;
                }

                if (next.Qos == MqttQualityOfService.AtMostOnce)
                {
                    _queue.Dequeue();
                    batch.Add(new OutboundItem(OutboundKind.Publish, next.Message, next.Qos, next.Retain, false, 0));
                    continue;
                }

                if (!_inflight.HasRoom)
                    break; // in-order delivery: QoS 0 behind a blocked QoS 1/2 message waits too.

                _queue.Dequeue();
                var packetId = _inflight.Add(next);
                batch.Add(new OutboundItem(OutboundKind.Publish, next.Message, next.Qos, next.Retain, false, packetId));
            }

            drained = _queue.TakeDrainedIfLow();
        }

        drained?.TrySetResult(); // publishers paused for this client resume
    }

    /// <summary>PUBACK for a QoS 1 message: it is delivered; the window opens for the next one.</summary>
    public bool CompletePubAck(ushort packetId) => Complete(packetId, InflightState.AwaitingPubAck);

    /// <summary>PUBCOMP ends a QoS 2 flow.</summary>
    public bool CompletePubComp(ushort packetId) => Complete(packetId, InflightState.AwaitingPubComp);

    /// <summary>PUBREC: the receiver owns the message now; the PUBLISH is never re-sent after PUBREL, only the PUBREL (MQTT-4.3.3-1).</summary>
    public bool ReceivedPubRec(ushort packetId)
    {
        lock (_lock)
            return _inflight.ReceivedPubRec(packetId);
    }

    /// <summary>Ends a flow whatever its state: a 5.0 PUBREC with an error reason, or a message too large for the client.</summary>
    public bool Abandon(ushort packetId) => Complete(packetId, expected: null);

    private bool Complete(ushort packetId, InflightState? expected)
    {
        ISessionOwner? owner;
        lock (_lock)
        {
            if (!_inflight.Complete(packetId, expected))
                return false;
            owner = _queue.Count > 0 ? _owner : null;
        }

        owner?.SignalOutbound();
        return true;
    }

    /// <summary>Inbound QoS 2, method B of 4.3.3: remember the packet id until PUBREL; a re-sent PUBLISH with the same id
    /// is acknowledged again but not delivered again (MQTT-4.3.3-2). False for such a duplicate.</summary>
    public bool TryRegisterIncomingQos2(ushort packetId)
    {
        lock (_lock)
            return _incomingQos2.Add(packetId);
    }

    /// <summary>PUBREL: forget the packet id (MQTT-4.3.3-2); false when it was unknown.</summary>
    public bool ReleaseIncomingQos2(ushort packetId)
    {
        lock (_lock)
            return _incomingQos2.Remove(packetId);
    }
}

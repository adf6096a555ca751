using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// The server-side session of one client id (MQTT 4.1): its subscriptions, the messages queued for it
/// (<see cref="SessionQueue"/>, and the retained backlog of new subscriptions), outbound QoS 1/2 messages in flight
/// (<see cref="InflightWindow"/>), and inbound QoS 2 packet ids not yet released. It outlives connections when the
/// session is persistent, and then journals every change to the store (<see cref="SessionJournal"/>). All state is
/// guarded by one short per-session lock; subscription tree updates are made under it (lock order: session, then
/// tree) so a discarded session can never re-enter the tree.
/// This file: lifetime, subscriptions, inbound QoS 2. Delivery: the queue, the in-flight window, acknowledgements.
/// </summary>
internal sealed partial class MqttSession
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttTopicSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<ushort> _incomingQos2 = [];
    private readonly SessionEnvironment _environment;
    private readonly SessionJournal? _journal;
    private ISessionOwner? _owner;
    private bool _discarded;

    public MqttSession(string clientId, SessionEnvironment environment)
    {
        ClientId = clientId;
        Identity = new MqttClientIdentity(clientId, null, new MqttConnectionContext());
        _environment = environment;
        _queue = new SessionQueue(environment.Limits);
        _journal = environment.Store is { } store ? new SessionJournal(store, this) : null;
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

    /// <summary>True once the store was told about this session (it must then be told when it ends).</summary>
    public bool IsStored { get; set; }

    /// <summary>True while a connection serves the session (read without the lock: a hint for choosing a shared member).</summary>
    public bool IsOnline => Volatile.Read(ref _owner) is not null;

    public ISessionOwner? Owner
    {
        get
        {
            lock (_lock)
                return _owner;
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
            DropQos0BacklogLocked();
            drained = _queue.TakeDrained();
        }

        drained?.TrySetResult(); // publishers never wait for an offline session
        return true;
    }

    /// <summary>Ends the session: its subscriptions leave the tree and its queues are dropped. Returns the deliveries that
    /// came through shared subscriptions and that its client has not been seen to receive, for another member.</summary>
    public List<QueuedDelivery> Discard()
    {
        TaskCompletionSource? drained;
        List<QueuedDelivery> shared;
        lock (_lock)
        {
            shared = [.. _inflight.SharedNotYetReceived(), .. _queue.Shared()];
            drained = _queue.TakeDrained();
            _discarded = true;
            _owner = null;
            var statistics = _environment.Statistics;
            foreach (var filter in _subscriptions.Keys)
            {
                if (_environment.Tree.Remove(this, filter))
                    statistics.SubscriptionRemoved();
            }

            _subscriptions.Clear();
            _queue.Clear();
            _retainedBacklog?.Clear();
            _inflight.Clear();
            _incomingQos2.Clear();
            _environment.Memory.Release(_heldBytes);
            _heldBytes = 0;
        }

        drained?.TrySetResult();
        return shared;
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
            isNew = _environment.Tree.AddOrReplace(this, subscription);
            if (isNew)
                _environment.Statistics.SubscriptionAdded();
            _journal?.Subscribed(subscription);
            return true;
        }
    }

    public bool RemoveSubscription(string topicFilter)
    {
        lock (_lock)
        {
            if (!_subscriptions.Remove(topicFilter))
                return false;
            if (_environment.Tree.Remove(this, topicFilter))
                _environment.Statistics.SubscriptionRemoved();
            _journal?.Unsubscribed(topicFilter);
            return true;
        }
    }

    public IReadOnlyList<SubscriptionInfo> GetSubscriptions()
    {
        lock (_lock)
            return [.. _subscriptions.Values.Select(s => new SubscriptionInfo(s.TopicFilter, s.MaximumQos))];
    }

    /// <summary>Inbound QoS 2, method B of 4.3.3: remember the packet id until PUBREL; a re-sent PUBLISH with the same id
    /// is acknowledged again but not delivered again (MQTT-4.3.3-2). False for such a duplicate.</summary>
    public bool TryRegisterIncomingQos2(ushort packetId)
    {
        lock (_lock)
        {
            if (!_incomingQos2.Add(packetId))
                return false;
            _journal?.Qos2Received(packetId);
            return true;
        }
    }

    /// <summary>PUBREL: forget the packet id (MQTT-4.3.3-2); false when it was unknown.</summary>
    public bool ReleaseIncomingQos2(ushort packetId)
    {
        lock (_lock)
        {
            if (!_incomingQos2.Remove(packetId))
                return false;
            _journal?.Qos2Released(packetId);
            return true;
        }
    }

    /// <summary>Rebuilds an offline session from the store at start (nothing is journaled back).</summary>
    public void Restore(StoredSessionState stored)
    {
        lock (_lock)
        {
            foreach (var subscription in stored.Subscriptions)
            {
                _subscriptions[subscription.TopicFilter] = subscription;
                if (_environment.Tree.AddOrReplace(this, subscription))
                    _environment.Statistics.SubscriptionAdded();
            }

            foreach (var id in stored.IncomingQos2)
                _incomingQos2.Add(id);
            foreach (var delivery in stored.Deliveries.OrderBy(d => d.Sequence))
                RestoreDeliveryLocked(delivery);
        }
    }
}

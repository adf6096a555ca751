using EmbeddedBroker.Broker.Subscriptions;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>What attaching a connection to a client id produced.</summary>
internal readonly record struct SessionAttachResult(
    MqttSession Session,
    bool SessionPresent,
    ISessionOwner? PreviousOwner,
    DelayedWill? WillOfEndedSession);

/// <summary>
/// All sessions by client id. Connect and disconnect are cold paths serialized by one lock; publishes never touch it
/// (they reach sessions through the subscription tree).
/// </summary>
internal sealed class SessionManager(SubscriptionTree<MqttSession> tree, BrokerStatistics statistics, SessionQueueLimits queueLimits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttSession> _sessions = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
                return _sessions.Count;
        }
    }

    public MqttSession? Find(string clientId)
    {
        lock (_lock)
            return _sessions.GetValueOrDefault(clientId);
    }

    /// <summary>
    /// Binds <paramref name="owner"/> to the session of <paramref name="clientId"/>. A clean start discards any existing
    /// session (MQTT-3.1.2-6); otherwise an existing session is resumed (Session Present, MQTT-3.2.2-2). The previous
    /// owner, if any, is returned so the caller closes it (take-over, MQTT-3.1.4-2).
    /// </summary>
    public SessionAttachResult Attach(MqttClientIdentity identity, bool cleanStart, uint expiryInterval, ISessionOwner owner, int sendWindow)
    {
        var clientId = identity.ClientId;
        lock (_lock)
        {
            DelayedWill? willOfEndedSession = null;
            _sessions.TryGetValue(clientId, out var session);
            var previousOwner = session?.Owner;

            if (session is not null)
            {
                // A reconnection before the will delay passed cancels the will (MQTT-3.1.3-9) unless the session ends now.
                var pendingWill = session.PendingWill;
                session.PendingWill = null;
                if (cleanStart)
                {
                    willOfEndedSession = pendingWill;
                    RemoveLocked(session);
                    session = null;
                }
            }

            var present = session is not null;
            if (session is null)
            {
                session = new MqttSession(clientId, tree, statistics, queueLimits);
                _sessions.Add(clientId, session);
                statistics.SessionAdded();
            }

            session.ExpiryInterval = expiryInterval;
            session.Attach(owner, sendWindow, identity);
            return new SessionAttachResult(session, present, previousOwner, willOfEndedSession);
        }
    }

    /// <summary>
    /// Unbinds <paramref name="owner"/> when its connection ends. A session with expiry 0 ends now; others wait offline,
    /// keeping subscriptions and queued QoS 1/2 messages (MQTT-3.1.2-4). Does nothing if another connection took over.
    /// </summary>
    public void Detach(MqttSession session, ISessionOwner owner, DelayedWill? delayedWill, out DelayedWill? willToPublishNow)
    {
        willToPublishNow = null;
        lock (_lock)
        {
            if (!session.Detach(owner))
            {
                willToPublishNow = delayedWill; // taken over: the will is due at once (MQTT 5 3.1.4)
                return;
            }

            if (session.ExpiryInterval == 0)
            {
                willToPublishNow = delayedWill;
                if (_sessions.TryGetValue(session.ClientId, out var current) && ReferenceEquals(current, session))
                    RemoveLocked(session);
                else
                    session.Discard();
                return;
            }

            session.PendingWill = delayedWill;
            session.ExpiresAt = session.ExpiryInterval == uint.MaxValue
                ? null
                : Environment.TickCount64 + (session.ExpiryInterval * 1000L);
        }
    }

    /// <summary>Ends offline sessions whose expiry passed and collects delayed wills that are due (at their delay or at
    /// session end, whichever comes first — 3.1.2.5).</summary>
    public void Sweep(long nowTicks, List<DelayedWill> dueWills)
    {
        lock (_lock)
        {
            List<MqttSession>? expired = null;
            foreach (var session in _sessions.Values)
            {
                var expiresNow = session.ExpiresAt is { } at && at <= nowTicks && session.Owner is null;
                if (session.PendingWill is { } will && (will.DueAt <= nowTicks || expiresNow))
                {
                    dueWills.Add(will);
                    session.PendingWill = null;
                }

                if (expiresNow)
                    (expired ??= []).Add(session);
            }

            if (expired is null)
                return;
            foreach (var session in expired)
                RemoveLocked(session);
        }
    }

    private void RemoveLocked(MqttSession session)
    {
        _sessions.Remove(session.ClientId);
        session.Discard();
        statistics.SessionRemoved();
    }
}

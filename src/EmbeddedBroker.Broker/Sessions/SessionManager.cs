using EmbeddedBroker.Contracts.Storage;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>What attaching a connection to a client id produced.</summary>
internal readonly record struct SessionAttachResult(
    MqttSession Session,
    bool SessionPresent,
    ISessionOwner? PreviousOwner,
    DelayedWill? WillOfEndedSession);

/// <summary>
/// All sessions by client id. Connect and disconnect are cold paths serialized by one lock; publishes never touch it
/// (they reach sessions through the subscription tree). Persistent sessions are saved to the store as they start,
/// go offline and end (<see cref="SessionJournal"/> journals what they hold).
/// </summary>
internal sealed class SessionManager(SessionEnvironment environment)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttSession> _sessions = new(StringComparer.Ordinal);
    private readonly IBrokerStore? _store = environment.Store;

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
    /// Binds <paramref name="owner"/> to the session of the client id. A clean start discards any existing session
    /// (MQTT-3.1.2-6), and so does a session that was to end with its connection (expiry 0: MQTT-3.1.2-6, MQTT-3.2.2-3
    /// — it is never resumed, whatever the order in which the old connection's close and the new CONNECT are seen);
    /// otherwise an existing session is resumed (Session Present, MQTT-3.2.2-2). The previous owner, if any, is
    /// returned so the caller closes it (take-over, MQTT-3.1.4-2).
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
                if (pendingWill is not null && session.IsStored)
                    _store?.DeleteWill(clientId);
                if (cleanStart || session.ExpiryInterval == 0)
                {
                    willOfEndedSession = pendingWill;
                    RemoveLocked(session);
                    session = null;
                }
            }

            var present = session is not null;
            if (session is null)
            {
                session = new MqttSession(clientId, environment);
                _sessions.Add(clientId, session);
                environment.Statistics.SessionAdded();
            }

            session.ExpiryInterval = expiryInterval;
            session.Attach(owner, sendWindow, identity);
            Save(session, disconnectedAt: null);
            return new SessionAttachResult(session, present, previousOwner, willOfEndedSession);
        }
    }

    /// <summary>
    /// Unbinds <paramref name="owner"/> when its connection ends. A session with expiry 0 ends now; others wait offline,
    /// keeping subscriptions and queued QoS 1/2 messages (MQTT-3.1.2-4). When another connection took over, a delayed
    /// will is published at once if that connection ended the session, and dropped if it continues it (a new connection
    /// came before the delay elapsed, MQTT-3.1.2-8 / 3.1.3-9).
    /// </summary>
    public void Detach(MqttSession session, ISessionOwner owner, DelayedWill? delayedWill, out DelayedWill? willToPublishNow)
    {
        willToPublishNow = null;
        lock (_lock)
        {
            if (!session.Detach(owner))
            {
                var continued = _sessions.TryGetValue(session.ClientId, out var current) && ReferenceEquals(current, session);
                willToPublishNow = continued ? null : delayedWill;
                return;
            }

            if (session.ExpiryInterval == 0)
            {
                willToPublishNow = delayedWill;
                if (_sessions.TryGetValue(session.ClientId, out var current) && ReferenceEquals(current, session))
                    RemoveLocked(session);
                else
                    End(session);
                return;
            }

            session.PendingWill = delayedWill;
            session.ExpiresAt = session.ExpiryInterval == uint.MaxValue
                ? null
                : Environment.TickCount64 + (session.ExpiryInterval * 1000L);
            Save(session, DateTimeOffset.UtcNow);
            if (delayedWill is not null && session.IsStored)
                _store!.SaveWill(session.ClientId, ToStored(delayedWill));
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
                    if (session.IsStored && !expiresNow)
                        _store!.DeleteWill(session.ClientId);
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

    /// <summary>
    /// Rebuilds the persistent sessions of <paramref name="stored"/> at start, offline. Time spent stopped counts: a
    /// session whose expiry passed meanwhile ends now (its will, if any, is due), and so does a will whose delay passed.
    /// Returns the wills due now.
    /// </summary>
    public IReadOnlyList<DelayedWill> Restore(IReadOnlyList<StoredSessionState> stored, DateTimeOffset now)
    {
        var due = new List<DelayedWill>();
        lock (_lock)
        {
            foreach (var state in stored)
            {
                var info = state.Session;
                var identity = new MqttClientIdentity(info.ClientId, info.Username, new MqttConnectionContext { Transport = "restored" });
                var will = state.Will is { } w ? new DelayedWill(w.Message, ToTicks(w.DueAt, now), identity) : null;
                var remainingMs = info.ExpiryInterval == uint.MaxValue
                    ? (double?)null
                    : (info.ExpiryInterval * 1000.0) - (now - (info.DisconnectedAt ?? now)).TotalMilliseconds;
                if (remainingMs <= 0)
                {
                    if (will is not null)
                        due.Add(will);
                    _store?.DeleteSession(info.ClientId);
                    continue;
                }

                var session = new MqttSession(info.ClientId, environment) { ExpiryInterval = info.ExpiryInterval, IsStored = true };
                session.Restore(state);
                session.ExpiresAt = remainingMs is { } ms ? Environment.TickCount64 + (long)ms : null;
                if (will is not null && will.DueAt <= Environment.TickCount64)
                    due.Add(will);
                else
                    session.PendingWill = will;
                _sessions[info.ClientId] = session;
                environment.Statistics.SessionAdded();
            }
        }

        return due;
    }

    /// <summary>Tells the store a persistent session's state; a session that stopped being persistent leaves the store.</summary>
    private void Save(MqttSession session, DateTimeOffset? disconnectedAt)
    {
        if (_store is null)
            return;
        if (session.ExpiryInterval > 0)
        {
            _store.SaveSession(new StoredSession(session.ClientId, session.ExpiryInterval, disconnectedAt, session.Identity.Username));
            session.IsStored = true;
        }
        else if (session.IsStored)
        {
            _store.DeleteSession(session.ClientId);
            session.IsStored = false;
        }
    }

    private void RemoveLocked(MqttSession session)
    {
        _sessions.Remove(session.ClientId);
        End(session);
        environment.Statistics.SessionRemoved();
        if (session.IsStored)
            _store!.DeleteSession(session.ClientId);
    }

    /// <summary>Discards the session; what it was to deliver through shared subscriptions and its client has not been
    /// seen to receive goes to another member of the same group (MQTT 5.0 4.8.2: the Server SHOULD send it to another).</summary>
    private void End(MqttSession session)
    {
        foreach (var delivery in session.Discard())
        {
            if (delivery.Group is { } group)
                environment.FanOut.DeliverToOneMember(group, delivery.Message, congestion: null, except: session);
        }
    }

    private static StoredWill ToStored(DelayedWill will) =>
        new(will.Message, DateTimeOffset.UtcNow.AddMilliseconds(will.DueAt - Environment.TickCount64), will.Publisher.Username);

    private static long ToTicks(DateTimeOffset dueAt, DateTimeOffset now) =>
        Environment.TickCount64 + (long)Math.Max(0, (dueAt - now).TotalMilliseconds);
}

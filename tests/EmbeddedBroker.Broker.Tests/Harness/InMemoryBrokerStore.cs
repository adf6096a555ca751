using System.Collections.Concurrent;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Harness;

/// <summary>
/// A store that applies every change to dictionaries at once, so that a test can stop a broker, start another on the
/// same store and see what the engine journaled (a stand-in for the SQLite store with no write-behind).
/// </summary>
internal sealed class InMemoryBrokerStore : IBrokerStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttApplicationMessage> _retained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Changes { get; } = new();

    public bool DurableAcknowledgements { get; init; }

    public Task<StoredBrokerState> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var sessions = _sessions.Values.Select(e => new StoredSessionState(e.Session, [.. e.Subscriptions.Values],
                [.. e.Deliveries.Values.OrderBy(d => d.Sequence)], [.. e.IncomingQos2], e.Will)).ToList();
            return Task.FromResult(new StoredBrokerState([.. _retained.Values], sessions));
        }
    }

    public void SetRetained(MqttApplicationMessage message) => Change($"retain {message.Topic}", () => _retained[message.Topic] = message);
    public void ClearRetained(string topic) => Change($"clear {topic}", () => _retained.Remove(topic));

    public void SaveSession(StoredSession session) => Change($"session {session.ClientId} {(session.DisconnectedAt is null ? "online" : "offline")}", () =>
    {
        if (_sessions.TryGetValue(session.ClientId, out var entry))
            entry.Session = session;
        else
            _sessions[session.ClientId] = new Entry(session);
    });

    public void DeleteSession(string clientId) => Change($"end {clientId}", () => _sessions.Remove(clientId));

    public void SaveSubscription(string clientId, MqttTopicSubscription subscription) =>
        Change($"subscribe {clientId} {subscription.TopicFilter}", () => Session(clientId).Subscriptions[subscription.TopicFilter] = subscription);

    public void DeleteSubscription(string clientId, string topicFilter) =>
        Change($"unsubscribe {clientId} {topicFilter}", () => Session(clientId).Subscriptions.Remove(topicFilter));

    public void SaveDelivery(string clientId, StoredDelivery delivery) =>
        Change($"queue {clientId} {delivery.Sequence}", () => Session(clientId).Deliveries[delivery.Sequence] = delivery);

    public void UpdateDelivery(string clientId, long sequence, ushort packetId, StoredDeliveryState state) =>
        Change($"update {clientId} {sequence} {state}", () =>
        {
            var deliveries = Session(clientId).Deliveries;
            deliveries[sequence] = deliveries[sequence] with { PacketId = packetId, State = state };
        });

    public void DeleteDelivery(string clientId, long sequence) => Change($"done {clientId} {sequence}", () => Session(clientId).Deliveries.Remove(sequence));

    public void SaveIncomingQos2(string clientId, ushort packetId) => Change($"qos2 {clientId} {packetId}", () => Session(clientId).IncomingQos2.Add(packetId));
    public void DeleteIncomingQos2(string clientId, ushort packetId) => Change($"released {clientId} {packetId}", () => Session(clientId).IncomingQos2.Remove(packetId));

    public void SaveWill(string clientId, StoredWill will) => Change($"will {clientId}", () => Session(clientId).Will = will);
    public void DeleteWill(string clientId) => Change($"no will {clientId}", () => Session(clientId).Will = null);

    public Task FlushedAsync() => Task.CompletedTask;

    /// <summary>Every change must name a session the engine saved first: the journal's order is part of the contract.</summary>
    private Entry Session(string clientId) =>
        _sessions.TryGetValue(clientId, out var entry) ? entry : throw new InvalidOperationException($"change for unknown session {clientId}");

    private void Change(string description, Action apply)
    {
        lock (_lock)
        {
            Changes.Enqueue(description);
            apply();
        }
    }

    private sealed class Entry(StoredSession session)
    {
        public StoredSession Session { get; set; } = session;
        public Dictionary<string, MqttTopicSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);
        public SortedDictionary<long, StoredDelivery> Deliveries { get; } = [];
        public HashSet<ushort> IncomingQos2 { get; } = [];
        public StoredWill? Will { get; set; }
    }
}

using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Contracts.Storage;

/// <summary>
/// The storage hook: what the broker promises to keep across restarts and crashes (retained messages, persistent
/// sessions with their subscriptions, queued and in-flight QoS 1/2 messages, QoS 2 receive state, delayed wills).
/// <para>
/// The engine's in-memory structures stay the truth at run time. It hands the store ONE CHANGE AT A TIME, as the
/// change happens, from whatever thread made it (a publisher's, a connection's, the maintenance loop's) and often
/// under a session lock: every method must return at once, never block and never throw; a store writes behind, in
/// batches, on its own thread. Changes for one client id arrive in the order they were made. Only sessions that
/// outlive their connection (Session Expiry Interval &gt; 0, or CleanSession=0) are handed over; messages are handed over
/// for such sessions only at QoS 1 and 2.
/// </para>
/// <para>
/// <see cref="LoadAsync"/> runs once, at start, before any listener opens; the engine rebuilds its state from it.
/// </para>
/// </summary>
public interface IBrokerStore
{
    /// <summary>When true (durable acknowledgements), the broker holds a client's PUBACK / PUBREC until the changes its
    /// message made are committed (<see cref="FlushedAsync"/>).</summary>
    bool DurableAcknowledgements { get; }

    /// <summary>Everything stored. A store that cannot be read (damaged) starts empty instead, after saying so.</summary>
    Task<StoredBrokerState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Sets or replaces the retained message of <see cref="MqttApplicationMessage.Topic"/>.</summary>
    void SetRetained(MqttApplicationMessage message);

    /// <summary>Removes the retained message of <paramref name="topic"/> (a retained PUBLISH with an empty payload).</summary>
    void ClearRetained(string topic);

    /// <summary>Creates or updates a persistent session: at connect, at disconnect (with the time), when its expiry changes.</summary>
    void SaveSession(StoredSession session);

    /// <summary>Ends a session and everything it holds (subscriptions, deliveries, QoS 2 state, will).</summary>
    void DeleteSession(string clientId);

    /// <summary>Adds or replaces the subscription of a session to its topic filter (options and identifier included).</summary>
    void SaveSubscription(string clientId, MqttTopicSubscription subscription);

    void DeleteSubscription(string clientId, string topicFilter);

    /// <summary>A message queued for a session, identified by its per-session <see cref="StoredDelivery.Sequence"/>.</summary>
    void SaveDelivery(string clientId, StoredDelivery delivery);

    /// <summary>A queued delivery was handed to the client under <paramref name="packetId"/>, or moved on in its QoS 2 flow.</summary>
    void UpdateDelivery(string clientId, long sequence, ushort packetId, StoredDeliveryState state);

    /// <summary>A delivery ended: acknowledged (PUBACK, PUBCOMP), dropped, expired or abandoned.</summary>
    void DeleteDelivery(string clientId, long sequence);

    /// <summary>An inbound QoS 2 PUBLISH was received and awaits its PUBREL (MQTT-4.3.3-2, method B).</summary>
    void SaveIncomingQos2(string clientId, ushort packetId);

    void DeleteIncomingQos2(string clientId, ushort packetId);

    /// <summary>A will waiting for its MQTT 5 Will Delay Interval (or for the session's end).</summary>
    void SaveWill(string clientId, StoredWill will);

    void DeleteWill(string clientId);

    /// <summary>Completes once every change handed over before this call is durable (committed); faults when it could not
    /// be written. For acknowledgements that wait until a message is stored (durable acknowledgements).</summary>
    Task FlushedAsync();
}

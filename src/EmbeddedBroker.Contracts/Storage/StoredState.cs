using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Contracts.Storage;

/// <summary>Everything a store gives back at start.</summary>
public sealed record StoredBrokerState(IReadOnlyList<MqttApplicationMessage> Retained, IReadOnlyList<StoredSessionState> Sessions)
{
    public static StoredBrokerState Empty { get; } = new([], []);
}

/// <summary>A persistent session as stored. <paramref name="DisconnectedAt"/> is when its client went away (wall clock,
/// so that time spent stopped counts towards expiry); a session stored while online is given the store's last commit
/// time by <see cref="IBrokerStore.LoadAsync"/>. <paramref name="ExpiryInterval"/> uint.MaxValue never expires.</summary>
public sealed record StoredSession(string ClientId, uint ExpiryInterval, DateTimeOffset? DisconnectedAt, string? Username);

/// <summary>A session with what it holds, as loaded: its subscriptions with their MQTT 5 options and identifiers.</summary>
public sealed record StoredSessionState(
    StoredSession Session,
    IReadOnlyList<MqttTopicSubscription> Subscriptions,
    IReadOnlyList<StoredDelivery> Deliveries,
    IReadOnlyList<ushort> IncomingQos2,
    StoredWill? Will);

/// <summary>Where a stored delivery is in its flow.</summary>
public enum StoredDeliveryState : byte
{
    /// <summary>Queued, not yet sent (no packet id).</summary>
    Queued,
    AwaitingPubAck,
    AwaitingPubRec,

    /// <summary>QoS 2: PUBREC received, PUBREL sent; only the PUBREL is re-sent (MQTT-4.3.3-1).</summary>
    AwaitingPubComp,
}

/// <summary>One message for one session: <paramref name="Sequence"/> orders a session's deliveries (MQTT-4.6.0-1) and
/// names the delivery in later changes; <paramref name="Qos"/> and <paramref name="Retain"/> are this delivery's.</summary>
public sealed record StoredDelivery(long Sequence, MqttApplicationMessage Message, MqttQualityOfService Qos, bool Retain,
    ushort PacketId, StoredDeliveryState State);

/// <summary>A will to publish at <paramref name="DueAt"/> (wall clock), as the client <paramref name="Username"/>.</summary>
public sealed record StoredWill(MqttApplicationMessage Message, DateTimeOffset DueAt, string? Username);

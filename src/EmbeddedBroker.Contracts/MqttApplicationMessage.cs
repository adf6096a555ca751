using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Contracts;

/// <summary>
/// One accepted message, immutable, shared by every subscriber queue, the retained store, observers and hooks.
/// The payload is copied out of transport memory exactly once, when this object is built, into memory nobody else
/// writes; <see cref="Properties"/> is immutable too. A hook that wants a different message builds a new one
/// (<c>message with { Payload = ... }</c>), so nothing one holder does can change what another sees.
/// </summary>
public sealed record MqttApplicationMessage
{
    public required string Topic { get; init; }
    public ReadOnlyMemory<byte> Payload { get; init; }
    public MqttQualityOfService Qos { get; init; }
    public bool Retain { get; init; }

    /// <summary>Client id of the publisher; null for messages the broker itself originates ($SYS, API without id).</summary>
    public string? SourceClientId { get; init; }

    public MessageSource Source { get; init; } = MessageSource.Client;

    /// <summary>When the broker accepted the message (UTC).</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>MQTT 5 publication properties forwarded to subscribers (content type, user properties, ...).</summary>
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;

    /// <summary>Reference equality: two publications of the same bytes are two messages (a record's value equality
    /// would compare payload memory by reference anyway, and identity is what queues and receipts need).</summary>
    public bool Equals(MqttApplicationMessage? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}

using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker;

/// <summary>Where an accepted message entered the publish pipeline.</summary>
public enum MessageSource
{
    Client,
    Will,
    System,
    Api,
    Simulator,
}

/// <summary>
/// One accepted message, immutable, shared by every subscriber queue, the retained store and observers.
/// The payload is copied out of transport memory exactly once, when this object is built.
/// </summary>
public sealed class MqttApplicationMessage
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
}

namespace EmbeddedBroker.Contracts;

/// <summary>What the transport knows about a network connection before MQTT starts.</summary>
public sealed class MqttConnectionContext
{
    /// <summary>"tcp", "ws", "tls", "wss" or "memory" (tests).</summary>
    public string Transport { get; init; } = "tcp";

    /// <summary>The peer's address as text, e.g. "127.0.0.1:53000"; "unknown" when the transport has none.</summary>
    public string RemoteEndPoint { get; init; } = "unknown";

    /// <summary>Optional transport-level connection id (Kestrel's), used in logs.</summary>
    public string? ConnectionId { get; init; }
}

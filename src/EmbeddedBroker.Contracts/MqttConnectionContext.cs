using System.Security.Cryptography.X509Certificates;

namespace EmbeddedBroker.Contracts;

/// <summary>What the transport knows about a network connection before MQTT starts.</summary>
public sealed class MqttConnectionContext
{
    /// <summary>"tcp", "ws", "tls", "wss" or "memory" (tests).</summary>
    public string Transport { get; init; } = "tcp";

    /// <summary>The peer's address as text, e.g. "127.0.0.1:53000"; "unknown" when the transport has none.</summary>
    public string RemoteEndPoint { get; init; } = "unknown";

    /// <summary>The peer's IP address without the port, e.g. "127.0.0.1"; null when the transport has none.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>Optional transport-level connection id (Kestrel's), used in logs.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>The listener the client came in on (its name in the configuration), for per-listener security settings.</summary>
    public string Listener { get; init; } = "default";

    /// <summary>The certificate a TLS client presented (require_certificate), or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }
}

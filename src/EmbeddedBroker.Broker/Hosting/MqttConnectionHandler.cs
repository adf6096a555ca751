using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace EmbeddedBroker.Broker;

/// <summary>
/// Kestrel entry point for MQTT over TCP and TLS (Kestrel's TLS middleware unwraps it before us, so the engine only
/// ever sees plain bytes): <c>ListenAnyIP(1883, o => o.UseConnectionHandler&lt;MqttConnectionHandler&gt;())</c>, or
/// <c>o.Run(c => handler.ServeAsync(c, "listener-8883"))</c> to name the listener for per-listener security.
/// </summary>
public sealed class MqttConnectionHandler(MqttBroker broker) : ConnectionHandler
{
    /// <summary>The listener name a connection gets through <see cref="OnConnectedAsync"/>.</summary>
    public const string DefaultListener = "default";

    public override Task OnConnectedAsync(ConnectionContext connection) => ServeAsync(connection, DefaultListener);

    /// <summary>Serves one connection that arrived on the listener called <paramref name="listener"/>: its name, the
    /// peer's address and, after a TLS handshake, the client certificate go to the hooks in <see cref="MqttConnectionContext"/>.</summary>
    public Task ServeAsync(ConnectionContext connection, string listener)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = connection.Features.Get<ITlsConnectionFeature>();
        var remote = connection.RemoteEndPoint as IPEndPoint;
        var context = new MqttConnectionContext
        {
            Transport = tls is null ? "tcp" : "tls",
            RemoteEndPoint = remote is null ? connection.RemoteEndPoint?.ToString() ?? "unknown" : Unmapped(remote).ToString(),
            RemoteAddress = remote is null ? null : Unmapped(remote).Address.ToString(),
            ConnectionId = connection.ConnectionId,
            Listener = listener,
            ClientCertificate = tls?.ClientCertificate,
        };
        // Not connection.ConnectionClosed: Kestrel fires it as soon as the peer's FIN arrives, while the peer's last
        // packets (e.g. the tail of `mosquitto_pub -l` and its DISCONNECT) still sit unread in the input pipe, and
        // cancelling the read would drop them. The pipe itself reports the close (IsCompleted, or a reset exception)
        // after everything sent has been read.
        return broker.RunConnectionAsync(connection.Transport, context, CancellationToken.None);
    }

    /// <summary>Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; logs and per-address limits use a.b.c.d.</summary>
    public static IPEndPoint Unmapped(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }
}

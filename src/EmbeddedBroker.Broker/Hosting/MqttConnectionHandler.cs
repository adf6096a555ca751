using Microsoft.AspNetCore.Connections;

namespace EmbeddedBroker.Broker;

/// <summary>
/// Kestrel entry point for MQTT over TCP (and TLS, which Kestrel unwraps before us):
/// <c>ListenAnyIP(1883, o => o.UseConnectionHandler&lt;MqttConnectionHandler&gt;())</c>.
/// </summary>
public sealed class MqttConnectionHandler(MqttBroker broker) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var context = new MqttConnectionContext
        {
            Transport = "tcp",
            RemoteEndPoint = connection.RemoteEndPoint?.ToString() ?? "unknown",
            ConnectionId = connection.ConnectionId,
        };
        // Not connection.ConnectionClosed: Kestrel fires it as soon as the peer's FIN arrives, while the peer's last
        // packets (e.g. the tail of `mosquitto_pub -l` and its DISCONNECT) still sit unread in the input pipe, and
        // cancelling the read would drop them. The pipe itself reports the close (IsCompleted, or a reset exception)
        // after everything sent has been read.
        return broker.RunConnectionAsync(connection.Transport, context, CancellationToken.None);
    }
}

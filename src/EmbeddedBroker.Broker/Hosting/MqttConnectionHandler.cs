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
        return broker.RunConnectionAsync(connection.Transport, context, connection.ConnectionClosed);
    }
}

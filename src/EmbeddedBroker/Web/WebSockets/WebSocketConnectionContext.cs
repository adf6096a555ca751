using System.Net;
using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Web.Listeners;
using Microsoft.AspNetCore.Http;

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>What the hooks learn about an MQTT-over-WebSocket client: the listener it came in on (per-listener
/// security), its address (failed-login tracking, limits), and over WSS the client certificate.</summary>
internal static class WebSocketConnectionContext
{
    public static MqttConnectionContext For(HttpContext context)
    {
        var connection = context.Connection;
        var address = connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4(); // dual-stack sockets report ::ffff:a.b.c.d; show a.b.c.d like TCP does
        }

        return new MqttConnectionContext
        {
            Transport = context.Request.IsHttps ? "wss" : "ws",
            RemoteEndPoint = address is null ? "unknown" : new IPEndPoint(address, connection.RemotePort).ToString(),
            RemoteAddress = address?.ToString(),
            ConnectionId = connection.Id,
            Listener = context.Features.Get<ListenerFeature>()?.Name ?? WebListenerSetup.WebSocketListenerName,
            ClientCertificate = connection.ClientCertificate,
        };
    }
}

using EmbeddedBroker.Broker;
using EmbeddedBroker.Web.Listeners;
using EmbeddedBroker.Web.Options;
using EmbeddedBroker.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// Turns a WebSocket upgrade on any path of the listener(s) carrying MQTT over WebSocket into an MQTT connection of the
/// same broker as TCP (same sessions, retained messages, recorder). Other requests go on to the web endpoints.
/// </summary>
internal sealed class MqttWebSocketMiddleware(
    RequestDelegate next,
    MqttBroker broker,
    WebListenerMap listeners,
    IOptions<WebOptions> web,
    IOptions<WebSocketListenerOptions> webSocket,
    WebAbuseLog abuseLog,
    ILogger<MqttWebSocketMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = web.Value.MqttWebSocket;
        if (!context.WebSockets.IsWebSocketRequest || !endpoint.Enabled || !listeners.Serves(endpoint.On, context))
        {
            await next(context);
            return;
        }

        if (!RequestOrigin.AllowsWebSocket(context.Request, web.Value.WebSocketAllowedOrigins))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden; // Web:WebSocketAllowedOrigins, before any MQTT byte
            return;
        }

        var (decision, subprotocol) = MqttWebSocketSubprotocol.Choose(context.WebSockets.WebSocketRequestedProtocols, webSocket.Value.RequireSubprotocol);
        if (decision is not MqttWebSocketSubprotocol.Decision.Accept)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(decision is MqttWebSocketSubprotocol.Decision.RefuseNoneOffered
                ? "MQTT over WebSocket: offer the subprotocol \"mqtt\" (Sec-WebSocket-Protocol: mqtt)."
                : "MQTT over WebSocket: none of the offered subprotocols is \"mqtt\" or \"mqttv3.1\".");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol });
        var connection = WebSocketConnectionContext.For(context);

        // The guard under the socket, put there by WebSocketFrameLimitMiddleware (registered before UseWebSockets).
        var guard = context.Features.Get<WebSocketFrameLimitMiddleware.GuardedUpgrade>()?.Guard
            ?? throw new InvalidOperationException("WebSocketFrameLimitMiddleware must run before UseWebSockets");
        var bridge = new WebSocketDuplexPipe(socket, guard, WebSocketFrameLimitMiddleware.InputBufferBytes(broker.Options),
            announced => abuseLog.MessageTooBig(announced, guard.MessageLimit, connection.RemoteEndPoint));
        try
        {
            await bridge.RunAsync((pipe, cancellation) => broker.RunConnectionAsync(pipe, connection, cancellation), context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The peer vanished or the server is stopping: the broker has already treated it as a lost connection.
        }

        logger.LogDebug("MQTT over WebSocket connection {ConnectionId} from {RemoteEndPoint} ended", connection.ConnectionId, connection.RemoteEndPoint);
    }
}

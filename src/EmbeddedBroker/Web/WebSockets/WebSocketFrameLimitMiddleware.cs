using EmbeddedBroker.Broker;
using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// Runs before the framework's WebSocket middleware (UseWebSockets) and puts a <see cref="WebSocketFrameGuard"/> under
/// every upgraded connection, so that the framework's WebSocket reads through it: a message whose frame header
/// announces more than <see cref="MessageLimit"/> is refused at that header, before its payload is buffered.
/// </summary>
internal sealed class WebSocketFrameLimitMiddleware(RequestDelegate next, MqttBroker broker, IOptions<WebSocketListenerOptions> webSocket)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            var guarded = new GuardedUpgrade(upgrade, MessageLimit(broker.Options, webSocket.Value));
            context.Features.Set<IHttpUpgradeFeature>(guarded);
            context.Features.Set(guarded);
        }

        return next(context);
    }

    /// <summary>What the broker's input may have to hold at once: one whole packet of the largest size it accepts, fixed
    /// header included (at least 64 KiB).</summary>
    public static long InputBufferBytes(MqttBrokerOptions broker) => Math.Max(64 * 1024L, broker.Capabilities.MaximumPacketSize + 5L);

    /// <summary>The largest WebSocket message accepted: MaxMessageSize, and never more than one largest packet's worth of
    /// bytes (a message may hold several smaller packets), so a message can never be the way round the packet limit.</summary>
    public static long MessageLimit(MqttBrokerOptions broker, WebSocketListenerOptions webSocket) => Math.Min(webSocket.MaxMessageSize, InputBufferBytes(broker));

    /// <summary>The connection's own upgrade, whose stream comes back wrapped; MqttWebSocketMiddleware finds the guard here.</summary>
    internal sealed class GuardedUpgrade(IHttpUpgradeFeature inner, long messageLimit) : IHttpUpgradeFeature
    {
        public WebSocketFrameGuard? Guard { get; private set; }

        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => Guard = new WebSocketFrameGuard(await inner.UpgradeAsync(), messageLimit);
    }
}

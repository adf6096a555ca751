using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmbeddedBroker.Web.Listeners;

/// <summary>
/// Tells which of our HTTP listeners a request arrived on, from the local port Kestrel actually bound
/// (known only after start when the configured port is 0), so an endpoint can be served on one listener only.
/// Several listeners may be of one kind: a mosquitto.conf can declare many websockets listeners (WS and WSS).
/// </summary>
internal sealed class WebListenerMap
{
    private readonly Lock gate = new();
    private readonly List<ListenOptions> webSocket = [];
    private readonly List<ListenOptions> http = [];

    public void Register(WebListener listener, ListenOptions options)
    {
        lock (gate)
        {
            (listener is WebListener.Http ? http : webSocket).Add(options);
        }
    }

    /// <summary>True when <paramref name="context"/> arrived on a listener that <paramref name="placement"/> includes.</summary>
    public bool Serves(WebListener placement, HttpContext context)
    {
        var port = context.Connection.LocalPort;
        return placement switch
        {
            WebListener.WebSocket => IsOn(webSocket, port),
            WebListener.Http => IsOn(http, port),
            _ => IsOn(webSocket, port) || IsOn(http, port),
        };
    }

    private bool IsOn(List<ListenOptions> listeners, int port)
    {
        lock (gate)
        {
            foreach (var options in listeners)
            {
                if (options.IPEndPoint?.Port == port)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

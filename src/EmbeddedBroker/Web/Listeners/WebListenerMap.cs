using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmbeddedBroker.Web.Listeners;

/// <summary>
/// Tells which of our HTTP listeners a request arrived on, from the local port Kestrel actually bound
/// (known only after start when the configured port is 0), so an endpoint can be served on one listener only.
/// </summary>
internal sealed class WebListenerMap
{
    private readonly Lock gate = new();
    private ListenOptions? webSocket;
    private ListenOptions? http;

    public void Register(WebListener listener, ListenOptions options)
    {
        lock (gate)
        {
            if (listener is WebListener.Http)
            {
                http = options;
            }
            else
            {
                webSocket = options;
            }
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

    private bool IsOn(ListenOptions? options, int port)
    {
        lock (gate)
        {
            return options?.IPEndPoint?.Port == port;
        }
    }
}

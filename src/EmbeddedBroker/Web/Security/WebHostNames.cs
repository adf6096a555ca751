using EmbeddedBroker.Hosting;
using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Web.Options;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// The Host header values the web listener answers (ASP.NET Core's HostFiltering), which closes DNS rebinding: a page
/// of evil.example whose name is made to point at 127.0.0.1 still sends "Host: evil.example" and gets 400.
/// </summary>
internal static class WebHostNames
{
    /// <summary>What a listener bound to loopback addresses only is reached by (any port).</summary>
    public static readonly IReadOnlyList<string> Loopback = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Web:AllowedHosts when set; otherwise <see cref="Loopback"/> when every web listener (WebSocket, HTTP,
    /// websockets endpoints) binds loopback only, else "*" (any name: the listener is meant for the network).</summary>
    public static IReadOnlyList<string> Allowed(WebOptions web, WebSocketListenerOptions webSocket, HttpListenerOptions http, ListenerOptions listeners)
    {
        if (!string.IsNullOrWhiteSpace(web.AllowedHosts))
        {
            return web.AllowedHosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var bound = new List<(string Address, string? Interface)>();
        if (webSocket.Enabled)
        {
            bound.Add((webSocket.Address, null));
        }

        if (http.Enabled)
        {
            bound.Add((http.Address, null));
        }

        bound.AddRange(listeners.Endpoints.Where(e => e.IsWebSockets).Select(e => (e.Address, e.BindInterface)));
        return bound.Count > 0 && bound.All(b => ListenAddresses.IsLoopbackOnly(b.Address, b.Interface)) ? Loopback : ["*"];
    }
}

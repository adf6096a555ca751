using System.Net;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Listeners;

/// <summary>Binds the WebSocket listener (HTTP/1.1, so WebSocket upgrades work) and the optional plain HTTP listener.</summary>
internal static class WebListenerSetup
{
    public static void Configure(IConfiguration configuration, KestrelServerOptions kestrel)
    {
        var webSocket = configuration.GetSection(WebSocketListenerOptions.SectionName).Get<WebSocketListenerOptions>() ?? new WebSocketListenerOptions();
        var http = configuration.GetSection(HttpListenerOptions.SectionName).Get<HttpListenerOptions>() ?? new HttpListenerOptions();
        var map = kestrel.ApplicationServices.GetRequiredService<WebListenerMap>();
        var registry = kestrel.ApplicationServices.GetRequiredService<ListenerRegistry>();

        if (webSocket.Enabled)
        {
            Bind(kestrel, webSocket.Address, webSocket.Port, o =>
            {
                map.Register(WebListener.WebSocket, o);
                registry.Add("mqtt+ws/http", o);
            });
        }

        if (http.Enabled)
        {
            Bind(kestrel, http.Address, http.Port, o =>
            {
                map.Register(WebListener.Http, o);
                registry.Add("http", o);
            });
        }
    }

    private static void Bind(KestrelServerOptions kestrel, string addressText, int port, Action<ListenOptions> configure)
    {
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return; // WebOptionsValidator reports it and stops start-up.
        }

        Action<ListenOptions> http1 = o =>
        {
            // WebSocket upgrades are HTTP/1.1 requests; browsers do not speak h2c to a plain-text port anyway.
            o.Protocols = HttpProtocols.Http1;
            configure(o);
        };
        if (address.Equals(IPAddress.Any))
        {
            kestrel.ListenAnyIP(port, http1); // IPv6Any too (dual stack), like the TCP listener
        }
        else
        {
            kestrel.Listen(address, port, http1);
        }
    }
}

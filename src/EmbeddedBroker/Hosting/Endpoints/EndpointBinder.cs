using EmbeddedBroker.Broker;
using EmbeddedBroker.Hosting.Tls;
using EmbeddedBroker.Web.Listeners;
using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>
/// Binds every Listeners:Endpoints entry to Kestrel: its addresses (<see cref="EndpointAddresses"/>), then per
/// connection the limits, TLS when it has a certificate, and the MQTT handler (protocol mqtt) or the HTTP pipeline
/// with MQTT over WebSocket, the dashboard and the API (protocol websockets). The TLS files are read here, so a bad
/// one stops start-up with one line.
/// </summary>
internal static class EndpointBinder
{
    public static void Bind(KestrelServerOptions kestrel, ListenerOptions listeners)
    {
        var services = kestrel.ApplicationServices;
        var origins = services.GetRequiredService<SettingOrigins>();
        var tls = services.GetRequiredService<TlsEndpoints>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EmbeddedBroker.Hosting.Tls");
        for (var i = 0; i < listeners.Endpoints.Count; i++)
        {
            var endpoint = listeners.Endpoints[i];
            var prefix = $"{EndpointOptions.SectionName}:{i}";
            TlsEndpoint? secure = null;
            if (endpoint.IsTls)
            {
                try
                {
                    secure = tls.Add(TlsEndpoint.Load(endpoint, prefix, origins, logger));
                }
                catch (TlsFileException ex)
                {
                    throw new StartupException(ex.Message, ex);
                }
            }

            foreach (var address in EndpointAddresses.Resolve(endpoint, origins, prefix))
            {
                if (EndpointAddresses.IsIPv6Only(endpoint, address))
                {
                    services.GetRequiredService<IPv6OnlySockets>().Register(endpoint.Port);
                }

                kestrel.Listen(address, endpoint.Port, listen => Configure(listen, endpoint, secure, services));
            }
        }
    }

    /// <summary>The connection pipeline every listener shares: its name, its limits, then TLS if any.</summary>
    public static void AddCommonMiddleware(ListenOptions listen, string name, int maxConnections, TlsEndpoint? secure, IServiceProvider services)
    {
        ListenerFeature.Mark(listen, name);
        if (services.GetRequiredService<ConnectionLimits>().For(name, maxConnections) is { } limit)
        {
            listen.Use(limit);
        }

        if (secure is not null)
        {
            listen.UseHttps(secure.HandshakeOptions);
        }
    }

    /// <summary>The MQTT handler, resolved at the first connection: Kestrel is configured while the host is built, and
    /// resolving the broker then would read the password and ACL files before start-up can report them in one line.</summary>
    public static Lazy<MqttConnectionHandler> LazyHandler(IServiceProvider services) =>
        new(services.GetRequiredService<MqttConnectionHandler>, LazyThreadSafetyMode.ExecutionAndPublication);

    private static void Configure(ListenOptions listen, EndpointOptions endpoint, TlsEndpoint? secure, IServiceProvider services)
    {
        var name = endpoint.EffectiveName;
        var registry = services.GetRequiredService<ListenerRegistry>();
        AddCommonMiddleware(listen, name, endpoint.MaxConnections, secure, services);
        if (endpoint.IsWebSockets)
        {
            // WebSocket upgrades are HTTP/1.1 requests.
            listen.Protocols = HttpProtocols.Http1;
            services.GetRequiredService<WebListenerMap>().Register(WebListener.WebSocket, listen);
            registry.Add(secure is null ? "mqtt+ws/http" : "mqtt+wss/https", listen, name);
            return;
        }

        var handler = LazyHandler(services);
        listen.Run(connection => handler.Value.ServeAsync(connection, name));
        registry.Add(secure is null ? "mqtt" : "mqtt+tls", listen, name);
    }
}

using EmbeddedBroker.Hosting;
using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Listeners;

/// <summary>Binds the WebSocket listener (HTTP/1.1, so WebSocket upgrades work) and the optional plain HTTP listener,
/// and sets how slowly their clients may send (<see cref="HttpRequestLimitsOptions"/>).</summary>
internal static class WebListenerSetup
{
    /// <summary>The built-in listeners' names for per-listener security (Security:Listeners:websocket) and the logs.</summary>
    public const string WebSocketListenerName = "websocket";
    public const string HttpListenerName = "http";

    public static void Configure(IConfiguration configuration, KestrelServerOptions kestrel)
    {
        var webSocket = configuration.GetSection(WebSocketListenerOptions.SectionName).Get<WebSocketListenerOptions>() ?? new WebSocketListenerOptions();
        var http = configuration.GetSection(HttpListenerOptions.SectionName).Get<HttpListenerOptions>() ?? new HttpListenerOptions();
        var map = kestrel.ApplicationServices.GetRequiredService<WebListenerMap>();
        var registry = kestrel.ApplicationServices.GetRequiredService<ListenerRegistry>();
        ApplyRequestLimits(configuration.GetSection(HttpRequestLimitsOptions.SectionName).Get<HttpRequestLimitsOptions>() ?? new HttpRequestLimitsOptions(), kestrel.Limits);

        if (webSocket.Enabled)
        {
            Bind(kestrel, webSocket.Address, webSocket.Port, o =>
            {
                EndpointBinder.AddCommonMiddleware(o, WebSocketListenerName, maxConnections: -1, secure: null, kestrel.ApplicationServices);
                map.Register(WebListener.WebSocket, o);
                registry.Add("mqtt+ws/http", o, WebSocketListenerName);
            }, $"{WebSocketListenerOptions.SectionName}:Address");
        }

        if (http.Enabled)
        {
            Bind(kestrel, http.Address, http.Port, o =>
            {
                EndpointBinder.AddCommonMiddleware(o, HttpListenerName, maxConnections: -1, secure: null, kestrel.ApplicationServices);
                map.Register(WebListener.Http, o);
                registry.Add("http", o, HttpListenerName);
            }, $"{HttpListenerOptions.SectionName}:Address");
        }
    }

    private static void ApplyRequestLimits(HttpRequestLimitsOptions limits, KestrelServerLimits kestrel)
    {
        if (!HttpRequestLimitsValidator.IsValid(limits))
        {
            return; // the validator reports it and stops start-up; Kestrel would throw here without naming the key
        }

        // Kestrel answers 408 and closes the connection itself; the API turns the body's timeout into its own 408.
        kestrel.RequestHeadersTimeout = limits.HeadersTimeout;
        kestrel.MinRequestBodyDataRate = limits.MinBodyBytesPerSecond > 0
            ? new MinDataRate(limits.MinBodyBytesPerSecond, limits.BodyGracePeriod)
            : null;
    }

    private static void Bind(KestrelServerOptions kestrel, string addressText, int port, Action<ListenOptions> configure, string setting)
    {
        if (!ListenAddresses.IsValid(addressText))
        {
            return; // WebOptionsValidator reports it and stops start-up.
        }

        // WebSocket upgrades are HTTP/1.1 requests; browsers do not speak h2c to a plain-text port anyway.
        ListenAddresses.Bind(kestrel, addressText, port, o =>
        {
            o.Protocols = HttpProtocols.Http1;
            configure(o);
        }, setting);
    }
}

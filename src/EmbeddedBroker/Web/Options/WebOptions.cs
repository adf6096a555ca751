namespace EmbeddedBroker.Web.Options;

/// <summary>
/// Section "Web": each web endpoint can be switched off or moved to the plain HTTP listener.
/// By default all of them share the WebSocket listener (port 9001) with MQTT over WebSocket.
/// </summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>MQTT over WebSocket: a WebSocket upgrade on any path of the listener(s).</summary>
    public WebEndpointOptions MqttWebSocket { get; set; } = new();

    /// <summary>The live dashboard at / and /dashboard/.</summary>
    public WebEndpointOptions Dashboard { get; set; } = new();

    /// <summary>POST /api/publish, GET /api/clients, /api/messages, /api/stats.</summary>
    public WebApiOptions Api { get; set; } = new();

    /// <summary>GET /healthz.</summary>
    public WebEndpointOptions Health { get; set; } = new();

    /// <summary>GET /metrics (Prometheus text format).</summary>
    public WebEndpointOptions Metrics { get; set; } = new();

    /// <summary>The vote and results sample pages under /samples/.</summary>
    public WebEndpointOptions Samples { get; set; } = new();

    /// <summary>
    /// Host names the web listener answers (ASP.NET Core's host filtering, against DNS rebinding), separated by ';'
    /// ("broker.lan;*.example.com;*"). Null: only localhost, 127.0.0.1 and [::1] when every web listener binds loopback
    /// addresses, else every name ("*"). Any other Host header gets 400.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>Origins ("https://tools.example:8443") besides a request's own that may send state-changing requests
    /// (POST /api/publish). Empty: same origin only. Never answered with CORS headers, so they still cannot read.</summary>
    public List<string> AllowedOrigins { get; } = [];

    /// <summary>Origins whose pages may open MQTT over WebSocket; a request's own origin is always allowed, and clients
    /// that send no Origin (not browsers) too. Empty (default): any origin, so pages hosted anywhere keep working.</summary>
    public List<string> WebSocketAllowedOrigins { get; } = [];

    public IEnumerable<(string Name, WebEndpointOptions Endpoint)> All()
    {
        yield return (nameof(MqttWebSocket), MqttWebSocket);
        yield return (nameof(Dashboard), Dashboard);
        yield return (nameof(Api), Api);
        yield return (nameof(Health), Health);
        yield return (nameof(Metrics), Metrics);
        yield return (nameof(Samples), Samples);
    }
}

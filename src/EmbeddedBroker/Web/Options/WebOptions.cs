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

namespace EmbeddedBroker.Web.Options;

/// <summary>
/// Section "Listeners:WebSocket": the HTTP listener that carries MQTT over WebSocket and, by default, the dashboard,
/// the HTTP API, /healthz, /metrics and the sample pages. `--ws-port N` on the command line.
/// </summary>
public sealed class WebSocketListenerOptions
{
    public const string SectionName = "Listeners:WebSocket";

    /// <summary>The largest WebSocket message a client may send before the connection is closed with 1009.
    /// Default: the largest possible MQTT packet (256 MiB of remaining length plus a 5-byte fixed header), so the
    /// WebSocket layer is never stricter than MQTT itself; the broker's packet-size limit still applies to each packet.</summary>
    public const int LargestMqttPacket = 268_435_455 + 5;

    public bool Enabled { get; set; } = true;

    /// <summary>TCP port; `--ws-port N`. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 9001;

    /// <summary>"0.0.0.0" = every IPv4 and IPv6 interface (phones and browsers on the LAN); "127.0.0.1" = this machine only.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>
    /// When true, an upgrade that offers no WebSocket subprotocol at all is refused with 400. Default false: accepted,
    /// as Mosquitto does, because some WebSocket MQTT clients send none. An upgrade that offers only other
    /// subprotocols (neither "mqtt" nor "mqttv3.1") is always refused with 400.
    /// </summary>
    public bool RequireSubprotocol { get; set; }

    /// <summary>Largest WebSocket message (all frames of one message) a client may send; larger closes with 1009.</summary>
    public int MaxMessageSize { get; set; } = LargestMqttPacket;
}

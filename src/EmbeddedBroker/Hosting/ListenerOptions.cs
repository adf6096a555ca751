using EmbeddedBroker.Hosting.Endpoints;

namespace EmbeddedBroker.Hosting;

/// <summary>Where the MQTT listeners bind. Section "Listeners".</summary>
public sealed class ListenerOptions
{
    public const string SectionName = "Listeners";

    public MqttTcpListenerOptions Mqtt { get; set; } = new();

    /// <summary>Listeners declared one by one (what a mosquitto.conf's listener lines become): MQTT, TLS, WebSocket, WSS.</summary>
    public List<EndpointOptions> Endpoints { get; set; } = [];

    /// <summary>Connections one remote address may hold open at once, over every listener; further ones are closed at
    /// once. 0 = no limit (the default: many devices may share one address behind NAT).</summary>
    public int MaxConnectionsPerAddress { get; set; }
}

/// <summary>Section "Listeners:Mqtt": plain MQTT over TCP.</summary>
public sealed class MqttTcpListenerOptions
{
    /// <summary>Its name for per-listener security (Security:Listeners:mqtt) and the logs.</summary>
    public const string ListenerName = "mqtt";

    public bool Enabled { get; set; } = true;

    /// <summary>TCP port; `--port N` on the command line. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Address to bind. Default "0.0.0.0" (all IPv4 and IPv6 interfaces, like Mosquitto's default listener)
    /// so phones on the LAN can connect; use "127.0.0.1" to stay local.
    /// </summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>Connections open at once on this listener; -1 = no limit.</summary>
    public int MaxConnections { get; set; } = -1;
}

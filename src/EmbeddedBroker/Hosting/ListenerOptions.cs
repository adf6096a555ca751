namespace EmbeddedBroker.Hosting;

/// <summary>Where the MQTT listeners bind. Section "Listeners".</summary>
public sealed class ListenerOptions
{
    public const string SectionName = "Listeners";

    public MqttTcpListenerOptions Mqtt { get; set; } = new();
}

/// <summary>Section "Listeners:Mqtt": plain MQTT over TCP.</summary>
public sealed class MqttTcpListenerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>TCP port; `--port N` on the command line. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Address to bind. Default "0.0.0.0" (all IPv4 and IPv6 interfaces, like Mosquitto's default listener)
    /// so phones on the LAN can connect; use "127.0.0.1" to stay local.
    /// </summary>
    public string Address { get; set; } = "0.0.0.0";
}

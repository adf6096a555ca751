namespace EmbeddedBroker.Web.Options;

/// <summary>
/// Section "Listeners:Http": an optional second, plain HTTP listener (no MQTT) on which web endpoints can be placed
/// instead of, or as well as, the WebSocket listener: e.g. keep the API and /metrics on 127.0.0.1 while MQTT over
/// WebSocket faces the LAN. Off by default.
/// </summary>
public sealed class HttpListenerOptions
{
    public const string SectionName = "Listeners:Http";

    public bool Enabled { get; set; }

    public int Port { get; set; } = 8080;

    public string Address { get; set; } = "127.0.0.1";
}

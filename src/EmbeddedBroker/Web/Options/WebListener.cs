namespace EmbeddedBroker.Web.Options;

/// <summary>Which HTTP listener(s) serve a web endpoint.</summary>
public enum WebListener
{
    /// <summary>The MQTT-over-WebSocket listener ("Listeners:WebSocket", port 9001 by default).</summary>
    WebSocket,

    /// <summary>The plain HTTP listener ("Listeners:Http"), which must then be enabled.</summary>
    Http,

    /// <summary>Both listeners.</summary>
    Both,
}

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// Chooses the WebSocket subprotocol answered to an upgrade. MQTT.js offers "mqtt" (or "mqttv3.1" for MQTT 3.1 with
/// protocolId MQIsdp); the server must answer "mqtt" [MQTT-6.0.0-4] or, for 3.1 clients, "mqttv3.1".
/// </summary>
internal static class MqttWebSocketSubprotocol
{
    public const string Mqtt = "mqtt";
    public const string Mqtt31 = "mqttv3.1";

    public enum Decision
    {
        /// <summary>Accept, answering <c>Selected</c> (null: the client offered none, answer none).</summary>
        Accept,

        /// <summary>Refuse with 400: the client offered subprotocols, none of them MQTT (a browser would fail the
        /// handshake anyway if we answered with something it did not offer).</summary>
        RefuseNoMqttOffered,

        /// <summary>Refuse with 400: the client offered none and RequireSubprotocol is on.</summary>
        RefuseNoneOffered,
    }

    public static (Decision Decision, string? Selected) Choose(IList<string> offered, bool requireSubprotocol)
    {
        if (offered.Count == 0)
        {
            return requireSubprotocol ? (Decision.RefuseNoneOffered, null) : (Decision.Accept, null);
        }

        // The client's order is its preference (RFC 6455 section 4.1); take the first MQTT one it offered.
        foreach (var protocol in offered)
        {
            if (string.Equals(protocol, Mqtt, StringComparison.OrdinalIgnoreCase))
            {
                return (Decision.Accept, Mqtt);
            }

            if (string.Equals(protocol, Mqtt31, StringComparison.OrdinalIgnoreCase))
            {
                return (Decision.Accept, Mqtt31);
            }
        }

        return (Decision.RefuseNoMqttOffered, null);
    }
}

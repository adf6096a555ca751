using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>DISCONNECT (3.14) from the client: a normal close that discards the will (MQTT-3.14.4-3), unless MQTT 5
/// reason 0x04 asks for it; MQTT 5 may change the Session Expiry Interval on the way out.</summary>
internal static class DisconnectHandler
{
    public static void Handle(MqttConnection connection, DisconnectPacket disconnect)
    {
        var negotiated = connection.Negotiated!;
        var publishWill = false;
        if (negotiated.IsV5)
        {
            publishWill = disconnect.ReasonCode == MqttReasonCode.DisconnectWithWillMessage;
            if (disconnect.Properties.SessionExpiryInterval is { } expiry)
            {
                var session = negotiated.Session;
                if (session.ExpiryInterval == 0 && expiry != 0)
                {
                    // MQTT-3.14.2-2: a session that expires at close cannot be extended by DISCONNECT.
                    connection.ProtocolViolation("DISCONNECT sets a Session Expiry Interval after CONNECT had 0 (MQTT-3.14.2-2)");
                    return;
                }

                session.ExpiryInterval = Math.Min(expiry, connection.Core.Options.MaximumSessionExpiryInterval);
            }
        }

        // The server closes the connection (MQTT-3.14.4-1/-2).
        connection.DisconnectedByClient(publishWill);
    }
}

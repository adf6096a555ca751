using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// What the CONNECT / CONNACK handshake settled for the rest of a connection: the protocol version, who the client is,
/// its session, its keep-alive and its own limits, and its will. Fixed once CONNACK is sent.
/// </summary>
/// <param name="KeepAliveTimeout">1.5 x the keep-alive in force (MQTT-3.1.2-24); infinite when keep-alive is 0.</param>
/// <param name="ClientMaximumPacketSize">The largest packet an MQTT 5 client accepts (MQTT-3.1.2-25); 0 = no limit.</param>
/// <param name="AuthenticationMethod">The MQTT 5 enhanced authentication method the client connected with; only it may
/// re-authenticate (MQTT-4.12.1-1).</param>
/// <param name="OutboundTopicAliases">Topic aliases the broker may set up towards the client: the client's Topic Alias
/// Maximum (MQTT-3.1.2-26), bounded by the broker's own; 0 = none.</param>
/// <param name="IsBridge">The client set Mosquitto's bridge flag (try_private) on 3.1/3.1.1: as Mosquitto does, its
/// subscriptions are No Local and Retain As Published, so that two brokers bridged both ways do not echo.</param>
internal sealed record NegotiatedSession(
    MqttProtocolVersion Version,
    MqttClientIdentity Identity,
    MqttSession Session,
    bool SessionPresent,
    TimeSpan KeepAliveTimeout,
    uint ClientMaximumPacketSize,
    int OutboundTopicAliases,
    string? AuthenticationMethod,
    MqttWill? Will,
    bool IsBridge = false)
{
    public string ClientId => Identity.ClientId;
    public bool IsV5 => Version == MqttProtocolVersion.V500;
}

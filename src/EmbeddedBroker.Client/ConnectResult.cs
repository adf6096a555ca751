using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>What the server said in its CONNACK.</summary>
/// <param name="ReasonCode">Success for an accepted connection (3.x return codes are mapped to 5.0 reason codes by the codec).</param>
/// <param name="SessionPresent">The server resumed a stored session (MQTT-3.2.2-2).</param>
/// <param name="AssignedClientId">MQTT 5 Assigned Client Identifier when the client sent an empty id; otherwise null.</param>
/// <param name="ConnAck">The whole packet, for properties such as Receive Maximum.</param>
public sealed record ConnectResult(MqttReasonCode ReasonCode, bool SessionPresent, string? AssignedClientId, ConnAckPacket ConnAck);

namespace EmbeddedBroker.Protocol.Packets;

/// <summary>
/// CONNACK. <see cref="ReasonCode"/> is always a 5.0 reason code; for 3.1/3.1.1 the codec writes the
/// matching return code (0x84 -> 1, 0x85 -> 2, 0x88/0x89 -> 3, 0x86 -> 4, 0x87 -> 5) and maps it back on read.
/// </summary>
public sealed class ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
    public bool SessionPresent { get; init; }
    public MqttReasonCode ReasonCode { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

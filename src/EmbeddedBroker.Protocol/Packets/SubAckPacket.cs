namespace EmbeddedBroker.Protocol.Packets;

/// <summary>SUBACK: one reason code per filter, in order (MQTT-3.8.4-6). 0x00/0x01/0x02/0x80 are valid in every version.</summary>
public sealed class SubAckPacket : MqttPacket, IMqttPacketWithIdentifier
{
    public override MqttPacketType Type => MqttPacketType.SubAck;
    public ushort PacketId { get; init; }
    public required IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

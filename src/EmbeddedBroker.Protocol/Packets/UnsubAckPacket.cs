namespace EmbeddedBroker.Protocol.Packets;

/// <summary>UNSUBACK. 3.1/3.1.1 carry only the packet id; 5.0 adds one reason code per filter.</summary>
public sealed class UnsubAckPacket : MqttPacket, IMqttPacketWithIdentifier
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
    public ushort PacketId { get; init; }
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

namespace EmbeddedBroker.Protocol.Packets;

/// <summary>
/// The four QoS acknowledgement packets share one shape: packet id, a 5.0 reason code and properties.
/// For 3.1/3.1.1 only the packet id is on the wire; the reason code reads back as Success.
/// </summary>
public abstract class PublishAcknowledgementPacket : MqttPacket, IMqttPacketWithIdentifier
{
    public ushort PacketId { get; init; }
    public MqttReasonCode ReasonCode { get; init; } = MqttReasonCode.Success;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

public sealed class PubAckPacket : PublishAcknowledgementPacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

public sealed class PubRecPacket : PublishAcknowledgementPacket
{
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

/// <summary>PUBREL: fixed header flags must be 0b0010 (MQTT-3.6.1-1).</summary>
public sealed class PubRelPacket : PublishAcknowledgementPacket
{
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

public sealed class PubCompPacket : PublishAcknowledgementPacket
{
    public override MqttPacketType Type => MqttPacketType.PubComp;
}

namespace EmbeddedBroker.Protocol.Packets;

/// <summary>A decoded MQTT control packet. Version-neutral: the codec maps it to and from each version's wire form.</summary>
public abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>A packet that carries a packet identifier (PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK).</summary>
public interface IMqttPacketWithIdentifier
{
    ushort PacketId { get; }
}

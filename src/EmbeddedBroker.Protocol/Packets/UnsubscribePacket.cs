namespace EmbeddedBroker.Protocol.Packets;

/// <summary>UNSUBSCRIBE: fixed header flags must be 0b0010 (MQTT-3.10.1-1); at least one filter (MQTT-3.10.3-2).</summary>
public sealed class UnsubscribePacket : MqttPacket, IMqttPacketWithIdentifier
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
    public ushort PacketId { get; init; }
    public required IReadOnlyList<string> TopicFilters { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

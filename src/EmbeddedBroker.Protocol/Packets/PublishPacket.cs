namespace EmbeddedBroker.Protocol.Packets;

public sealed class PublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    /// <summary>The topic name. May be empty in MQTT 5 when a topic alias is used (MQTT-3.3.2-?); resolved by the broker.</summary>
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }
    public MqttQualityOfService Qos { get; init; }
    public bool Retain { get; init; }
    public bool Dup { get; init; }

    /// <summary>Present only when <see cref="Qos"/> &gt; 0 (MQTT-2.3.1-5).</summary>
    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

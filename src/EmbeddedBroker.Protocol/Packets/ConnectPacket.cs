namespace EmbeddedBroker.Protocol.Packets;

public sealed class ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    /// <summary>"MQTT" for 3.1.1/5.0, "MQIsdp" for 3.1 (MQTT-3.1.2-1).</summary>
    public string ProtocolName { get; init; } = "MQTT";

    /// <summary>The raw protocol level byte; may be a value this broker does not support (answered with CONNACK 0x01/0x84).</summary>
    public byte ProtocolLevel { get; init; } = (byte)MqttProtocolVersion.V311;

    public string ClientId { get; init; } = "";

    /// <summary>Clean Session (3.1/3.1.1) or Clean Start (5.0).</summary>
    public bool CleanSession { get; init; } = true;

    public ushort KeepAliveSeconds { get; init; }
    public string? Username { get; init; }
    public ReadOnlyMemory<byte>? Password { get; init; }
    public MqttWill? Will { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

namespace EmbeddedBroker.Protocol.Packets;

/// <summary>The will message carried by CONNECT (MQTT-3.1.2-9).</summary>
public sealed record MqttWill
{
    public required string Topic { get; init; }
    public ReadOnlyMemory<byte> Payload { get; init; }
    public MqttQualityOfService Qos { get; init; }
    public bool Retain { get; init; }

    /// <summary>MQTT 5 will properties (will delay, expiry, content type, ...).</summary>
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

namespace EmbeddedBroker.Protocol.Packets;

/// <summary>AUTH (MQTT 5.0 only): enhanced authentication exchange.</summary>
public sealed class AuthPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;
    public MqttReasonCode ReasonCode { get; init; } = MqttReasonCode.Success;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

namespace EmbeddedBroker.Protocol.Packets;

/// <summary>DISCONNECT. 3.1/3.1.1: empty, client to server only. 5.0: reason code and properties, both directions.</summary>
public sealed class DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;
    public MqttReasonCode ReasonCode { get; init; } = MqttReasonCode.Success;
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

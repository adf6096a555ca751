namespace EmbeddedBroker.Protocol.Packets;

/// <summary>PINGREQ carries nothing: one shared instance.</summary>
public sealed class PingReqPacket : MqttPacket
{
    public static PingReqPacket Instance { get; } = new();
    public override MqttPacketType Type => MqttPacketType.PingReq;
}

/// <summary>PINGRESP carries nothing: one shared instance.</summary>
public sealed class PingRespPacket : MqttPacket
{
    public static PingRespPacket Instance { get; } = new();
    public override MqttPacketType Type => MqttPacketType.PingResp;
}

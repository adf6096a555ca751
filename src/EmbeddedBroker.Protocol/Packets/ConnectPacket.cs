namespace EmbeddedBroker.Protocol.Packets;

public sealed class ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    /// <summary>"MQTT" for 3.1.1/5.0, "MQIsdp" for 3.1 (MQTT-3.1.2-1).</summary>
    public string ProtocolName { get; init; } = "MQTT";

    /// <summary>Bit 7 of the protocol level: Mosquitto's bridge flag (its <c>try_private</c>, 0x83 / 0x84), by which a
    /// 3.1/3.1.1 bridge asks not to get its own messages back and to keep their retain flag.</summary>
    public const byte BridgeFlag = 0x80;

    /// <summary>The raw protocol level byte; may be a value this broker does not support (answered with CONNACK 0x01/0x84).</summary>
    public byte ProtocolLevel { get; init; } = (byte)MqttProtocolVersion.V311;

    /// <summary>The level with Mosquitto's bridge flag taken off.</summary>
    public byte Level => WithoutBridgeFlag(ProtocolLevel);

    /// <summary>The client is another broker's bridge (<see cref="BridgeFlag"/> on level 3 or 4).</summary>
    public bool IsBridge => Level != ProtocolLevel;

    /// <summary>Mosquitto accepts the flag on 3.1 and 3.1.1 only; on any other level the byte is left as it is (and refused).</summary>
    public static byte WithoutBridgeFlag(byte level) =>
        (level & ~BridgeFlag) is (byte)MqttProtocolVersion.V310 or (byte)MqttProtocolVersion.V311 ? (byte)(level & ~BridgeFlag) : level;

    public string ClientId { get; init; } = "";

    /// <summary>Clean Session (3.1/3.1.1) or Clean Start (5.0).</summary>
    public bool CleanSession { get; init; } = true;

    public ushort KeepAliveSeconds { get; init; }
    public string? Username { get; init; }
    public ReadOnlyMemory<byte>? Password { get; init; }
    public MqttWill? Will { get; init; }
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}

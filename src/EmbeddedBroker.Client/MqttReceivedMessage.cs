using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// An application message the server delivered. A struct over the decoded PUBLISH so that handing it to
/// <see cref="MqttClient.Messages"/> allocates nothing beyond the packet itself.
/// </summary>
public readonly struct MqttReceivedMessage : IEquatable<MqttReceivedMessage>
{
    public MqttReceivedMessage(PublishPacket packet) => Packet = packet;

    /// <summary>The PUBLISH as decoded, for properties and anything else not surfaced below.</summary>
    public PublishPacket Packet { get; }

    public string Topic => Packet.Topic;
    public ReadOnlyMemory<byte> Payload => Packet.Payload;
    public MqttQualityOfService Qos => Packet.Qos;
    public bool Retain => Packet.Retain;
    public bool Dup => Packet.Dup;
    public ushort PacketId => Packet.PacketId;
    public MqttProperties Properties => Packet.Properties;

    public bool Equals(MqttReceivedMessage other) => ReferenceEquals(Packet, other.Packet);
    public override bool Equals(object? obj) => obj is MqttReceivedMessage other && Equals(other);
    public override int GetHashCode() => Packet?.GetHashCode() ?? 0;
    public static bool operator ==(MqttReceivedMessage left, MqttReceivedMessage right) => left.Equals(right);
    public static bool operator !=(MqttReceivedMessage left, MqttReceivedMessage right) => !left.Equals(right);
    public override string ToString() => $"{Topic} q{(int)Qos}{(Retain ? " retain" : "")}{(Dup ? " dup" : "")} {Payload.Length} B";
}

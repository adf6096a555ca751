using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Queue;

/// <summary>One message waiting to go to the remote broker, already mapped to its remote topic and QoS.
/// <see cref="Sequence"/> orders the queue and names the message's row in the queue file.</summary>
internal sealed class QueuedMessage(long sequence, string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
{
    /// <summary>What a message costs besides its topic and payload (object, node, row bookkeeping), for the byte bound.</summary>
    private const int Overhead = 96;

    public long Sequence { get; } = sequence;
    public string Topic { get; } = topic;
    public ReadOnlyMemory<byte> Payload { get; } = payload;
    public MqttQualityOfService Qos { get; } = qos;
    public bool Retain { get; } = retain;

    /// <summary>Kept in the queue file until acknowledged (QoS 1/2); QoS 0 lives in memory only, as in Mosquitto.</summary>
    public bool IsDurable => Qos != MqttQualityOfService.AtMostOnce;

    public long Size => Overhead + (Topic.Length * 2L) + Payload.Length;

    /// <summary>Its place in the queue; null once acknowledged or dropped.</summary>
    internal LinkedListNode<QueuedMessage>? Node { get; set; }
}

using System.Buffers;
using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// PUBLISH (3.1.1 section 3.3, 5.0 section 3.3): the hot path, encoded once per subscriber. Small packets go into one
/// span; a large payload is copied after the header in chunks so the writer never needs one huge contiguous block.
/// </summary>
internal static class PublishPacketWriter
{
    private const int InlinePayloadLimit = 16 * 1024;

    public static BodySizes Measure(PublishPacket p, MqttProtocolVersion version)
    {
        if (p.Qos > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException($"PUBLISH QoS {(int)p.Qos} does not exist (MQTT-3.3.1-4).");
        }
        if (p.Qos != MqttQualityOfService.AtMostOnce && p.PacketId == 0)
        {
            throw new ArgumentException("PUBLISH QoS > 0 needs a non-zero packet identifier (MQTT-2.3.1-1).");
        }
        if (p.Qos == MqttQualityOfService.AtMostOnce && p.Dup)
        {
            throw new ArgumentException("PUBLISH QoS 0 must not set DUP (MQTT-3.3.1-2).");
        }
        var size = MqttStrings.GetSize(p.Topic, "Topic name");
        if (p.Qos != MqttQualityOfService.AtMostOnce)
        {
            size += 2;
        }
        var propertiesSize = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.Publish);
            size += MqttPropertiesWriter.GetBlockSize(propertiesSize);
        }
        return new BodySizes(size + p.Payload.Length, propertiesSize);
    }

    public static int Encode(PublishPacket p, MqttProtocolVersion version, in BodySizes sizes, int total, IBufferWriter<byte> writer)
    {
        var payload = p.Payload.Span;
        var inline = payload.Length <= InlinePayloadLimit;
        var headerSize = total - payload.Length;
        var w = new MqttWriter(writer.GetSpan(inline ? total : headerSize));
        MqttPacketEncoder.WriteFixedHeader(ref w, FirstByte(p), sizes.RemainingLength);
        w.WriteString(p.Topic);
        if (p.Qos != MqttQualityOfService.AtMostOnce)
        {
            w.WriteUInt16(p.PacketId);
        }
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        }
        if (inline)
        {
            w.WriteBytes(payload);
            writer.Advance(total);
        }
        else
        {
            writer.Advance(headerSize);
            writer.Write(payload);
        }
        return total;
    }

    /// <summary>0011 DUP QoS QoS RETAIN (3.3.1).</summary>
    private static byte FirstByte(PublishPacket p)
    {
        var first = 0x30 | ((int)p.Qos << 1);
        if (p.Dup)
        {
            first |= 0x08;
        }
        if (p.Retain)
        {
            first |= 0x01;
        }
        return (byte)first;
    }
}

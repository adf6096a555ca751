using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// PUBLISH (3.1.1 section 3.3, 5.0 section 3.3). The fixed header flags were checked by <see cref="FixedHeaderRules"/>.
/// The payload is copied out of pipe memory exactly once. Topic name syntax (wildcards) is left to the broker's
/// validation step, which must run after topic alias resolution anyway.
/// </summary>
internal static class PublishPacketReader
{
    public static PublishPacket Read(ref MqttReader reader, byte firstByte, MqttProtocolVersion version)
    {
        var qos = (MqttQualityOfService)((firstByte >> 1) & 0x03);
        var topic = reader.ReadString();
        // Packet identifier only for QoS 1 and 2 (MQTT-2.3.1-5), and never 0 (MQTT-2.3.1-1).
        var packetId = qos > MqttQualityOfService.AtMostOnce ? reader.ReadPacketId() : (ushort)0;
        var properties = version == MqttProtocolVersion.V500
            ? MqttPropertiesReader.Read(ref reader, MqttPropertyContext.Publish)
            : MqttProperties.Empty;
        if (topic.Length == 0 && properties.TopicAlias is null)
        {
            // 3.1.1: topic names are at least one character (MQTT-4.7.3-1), malformed. 5.0 3.3.2.1: "It is a Protocol
            // Error if the Topic Name is zero length and there is no Topic Alias" (0x82).
            throw version == MqttProtocolVersion.V500
                ? new ProtocolErrorException("PUBLISH with empty topic name and no topic alias (3.3.2.1: a Protocol Error)")
                : new MalformedPacketException("PUBLISH with empty topic name (MQTT-4.7.3-1)");
        }
        return new PublishPacket
        {
            Topic = topic,
            PacketId = packetId,
            Qos = qos,
            Dup = (firstByte & 0x08) != 0,
            Retain = (firstByte & 0x01) != 0,
            Properties = properties,
            Payload = reader.ReadRemainingBytes(),
        };
    }
}

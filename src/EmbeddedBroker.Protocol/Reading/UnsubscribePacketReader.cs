using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>UNSUBSCRIBE (3.1.1 section 3.10, 5.0 section 3.10).</summary>
internal static class UnsubscribePacketReader
{
    public static UnsubscribePacket Read(ref MqttReader reader, MqttProtocolVersion version)
    {
        var packetId = reader.ReadPacketId();
        var properties = version == MqttProtocolVersion.V500
            ? MqttPropertiesReader.Read(ref reader, MqttPropertyContext.Unsubscribe)
            : MqttProperties.Empty;
        var filters = new List<string>();
        while (!reader.End)
        {
            filters.Add(reader.ReadString());
        }
        if (filters.Count == 0)
        {
            // MQTT-3.10.3-2; 5.0 3.10.3: "An UNSUBSCRIBE packet with no Payload is a Protocol Error" (0x82, not 0x81).
            throw new ProtocolErrorException("UNSUBSCRIBE without topic filters (MQTT-3.10.3-2)");
        }
        return new UnsubscribePacket { PacketId = packetId, TopicFilters = filters, Properties = properties };
    }
}

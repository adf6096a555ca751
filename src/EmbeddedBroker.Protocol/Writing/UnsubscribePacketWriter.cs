using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>UNSUBSCRIBE (3.1.1 section 3.10, 5.0 section 3.10): packet id, 5.0 properties, topic filters.</summary>
internal static class UnsubscribePacketWriter
{
    public static BodySizes Measure(UnsubscribePacket p, MqttProtocolVersion version)
    {
        if (p.PacketId == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs a non-zero packet identifier (MQTT-2.3.1-1).");
        }
        if (p.TopicFilters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2).");
        }
        var size = 2;
        var propertiesSize = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.Unsubscribe);
            size += MqttPropertiesWriter.GetBlockSize(propertiesSize);
        }
        foreach (var filter in p.TopicFilters)
        {
            size += MqttStrings.GetSize(filter, "Topic filter");
        }
        return new BodySizes(size, propertiesSize);
    }

    public static void Write(ref MqttWriter w, UnsubscribePacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        }
        foreach (var filter in p.TopicFilters)
        {
            w.WriteString(filter);
        }
    }
}

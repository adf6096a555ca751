using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>SUBSCRIBE (3.1.1 section 3.8, 5.0 section 3.8): packet id, 5.0 properties, filters with their options byte.</summary>
internal static class SubscribePacketWriter
{
    public static BodySizes Measure(SubscribePacket p, MqttProtocolVersion version)
    {
        if (p.PacketId == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs a non-zero packet identifier (MQTT-2.3.1-1).");
        }
        if (p.Subscriptions.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3).");
        }
        var size = 2;
        var propertiesSize = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesSize = MqttPropertiesWriter.GetContentSize(p.Properties, MqttPropertyContext.Subscribe);
            size += MqttPropertiesWriter.GetBlockSize(propertiesSize);
        }
        foreach (var subscription in p.Subscriptions)
        {
            size += MqttStrings.GetSize(subscription.TopicFilter, "Topic filter") + 1;
        }
        return new BodySizes(size, propertiesSize);
    }

    public static void Write(ref MqttWriter w, SubscribePacket p, MqttProtocolVersion version, in BodySizes sizes)
    {
        w.WriteUInt16(p.PacketId);
        var isV5 = version == MqttProtocolVersion.V500;
        if (isV5)
        {
            MqttPropertiesWriter.Write(ref w, p.Properties, sizes.PropertiesSize);
        }
        foreach (var subscription in p.Subscriptions)
        {
            w.WriteString(subscription.TopicFilter);
            w.WriteByte(isV5 ? Options(subscription) : (byte)subscription.MaximumQos);
        }
    }

    /// <summary>5.0 subscription options (3.8.3.1): QoS bits 0-1, No Local bit 2, Retain As Published bit 3, Retain Handling bits 4-5.</summary>
    private static byte Options(MqttTopicSubscription s)
    {
        var options = (int)s.MaximumQos | ((int)s.RetainHandling << 4);
        if (s.NoLocal) options |= 0x04;
        if (s.RetainAsPublished) options |= 0x08;
        return (byte)options;
    }
}

using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// SUBSCRIBE (3.1.1 section 3.8, 5.0 section 3.8). Filter syntax is left to the broker, which treats an invalid
/// filter as a malformed packet (MQTT-4.7.3-1, MQTT-4.8.0-1) and closes.
/// </summary>
internal static class SubscribePacketReader
{
    public static SubscribePacket Read(ref MqttReader reader, MqttProtocolVersion version)
    {
        var packetId = reader.ReadPacketId();
        var properties = version == MqttProtocolVersion.V500
            ? MqttPropertiesReader.Read(ref reader, MqttPropertyContext.Subscribe)
            : MqttProperties.Empty;
        var subscriptions = new List<MqttTopicSubscription>();
        while (!reader.End)
        {
            var filter = reader.ReadString();
            subscriptions.Add(ReadOptions(reader.ReadByte(), filter, version));
        }
        if (subscriptions.Count == 0)
        {
            // 3.1.1 MQTT-3.8.3-3 calls it a protocol violation; 5.0 3.8.3: "A SUBSCRIBE packet with no Payload is a
            // Protocol Error" (MQTT-3.8.3-2), answered 0x82, not 0x81.
            throw new ProtocolErrorException("SUBSCRIBE without topic filters (MQTT-3.8.3-3, 5.0 MQTT-3.8.3-2)");
        }
        return new SubscribePacket { PacketId = packetId, Subscriptions = subscriptions, Properties = properties };
    }

    private static MqttTopicSubscription ReadOptions(byte options, string filter, MqttProtocolVersion version)
    {
        var qos = options & 0x03;
        if (qos == 3)
        {
            // 3.1.1 MQTT-3.8.3-4: malformed. 5.0 3.8.3.1: "It is a Protocol Error if the Maximum QoS field has the value 3".
            throw version == MqttProtocolVersion.V500
                ? new ProtocolErrorException("SUBSCRIBE Maximum QoS 3 (3.8.3.1: a Protocol Error)")
                : new MalformedPacketException("SUBSCRIBE requested QoS 3 (MQTT-3-8.3-4)");
        }
        if (version != MqttProtocolVersion.V500)
        {
            // 3.1.1: the upper six bits of the requested QoS byte are reserved (MQTT-3-8.3-4).
            return (options & 0xFC) == 0
                ? new MqttTopicSubscription(filter, (MqttQualityOfService)qos)
                : throw new MalformedPacketException("SUBSCRIBE reserved bits in requested QoS byte (MQTT-3-8.3-4)");
        }
        // 5.0 subscription options (3.8.3.1): bits 6-7 reserved (MQTT-3.8.3-5), retain handling 3 is a protocol error.
        if ((options & 0xC0) != 0)
        {
            throw new MalformedPacketException("SUBSCRIBE reserved subscription option bits set (MQTT-3.8.3-5)");
        }
        var retainHandling = (options >> 4) & 0x03;
        if (retainHandling == 3)
        {
            throw new ProtocolErrorException("SUBSCRIBE retain handling 3 (3.8.3.1: a Protocol Error)");
        }
        var noLocal = (options & 0x04) != 0;
        if (noLocal && MqttTopic.IsSharedSubscription(filter))
        {
            throw new ProtocolErrorException("SUBSCRIBE no local on a shared subscription (MQTT-3.8.3-4: a Protocol Error)");
        }
        return new MqttTopicSubscription(
            filter,
            (MqttQualityOfService)qos,
            NoLocal: noLocal,
            RetainAsPublished: (options & 0x08) != 0,
            RetainHandling: (MqttRetainHandling)retainHandling);
    }
}

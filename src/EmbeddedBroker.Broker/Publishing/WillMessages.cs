using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Publishing;

internal static class WillMessages
{
    /// <summary>The will as the message subscribers receive (MQTT-3.1.2-9, will retain MQTT-3.1.2-17). Its properties are
    /// those of a PUBLISH: the Will Delay Interval stays with the broker.</summary>
    public static MqttApplicationMessage ToApplicationMessage(MqttWill will, string clientId) => new()
    {
        Topic = will.Topic,
        Payload = will.Payload,
        Qos = will.Qos,
        Retain = will.Retain,
        SourceClientId = clientId,
        Source = MessageSource.Will,
        Properties = will.Properties.ForPublication(will.Properties.MessageExpiryInterval),
    };
}

namespace EmbeddedBroker.Protocol.Properties;

/// <summary>Where a property block sits: the packets of 5.0 section 2.2.2.2 plus the will properties of CONNECT (3.1.3.2).</summary>
[Flags]
internal enum MqttPropertyContext
{
    None = 0,
    Connect = 1 << 0,
    ConnAck = 1 << 1,
    Publish = 1 << 2,
    Will = 1 << 3,
    PubAck = 1 << 4,
    PubRec = 1 << 5,
    PubRel = 1 << 6,
    PubComp = 1 << 7,
    Subscribe = 1 << 8,
    SubAck = 1 << 9,
    Unsubscribe = 1 << 10,
    UnsubAck = 1 << 11,
    Disconnect = 1 << 12,
    Auth = 1 << 13,

    PublishAcks = PubAck | PubRec | PubRel | PubComp,
    Everywhere = Connect | ConnAck | Publish | Will | PublishAcks | Subscribe | SubAck | Unsubscribe | UnsubAck | Disconnect | Auth,
}

internal static class MqttPropertyContexts
{
    public static MqttPropertyContext For(MqttPacketType type) => type switch
    {
        MqttPacketType.Connect => MqttPropertyContext.Connect,
        MqttPacketType.ConnAck => MqttPropertyContext.ConnAck,
        MqttPacketType.Publish => MqttPropertyContext.Publish,
        MqttPacketType.PubAck => MqttPropertyContext.PubAck,
        MqttPacketType.PubRec => MqttPropertyContext.PubRec,
        MqttPacketType.PubRel => MqttPropertyContext.PubRel,
        MqttPacketType.PubComp => MqttPropertyContext.PubComp,
        MqttPacketType.Subscribe => MqttPropertyContext.Subscribe,
        MqttPacketType.SubAck => MqttPropertyContext.SubAck,
        MqttPacketType.Unsubscribe => MqttPropertyContext.Unsubscribe,
        MqttPacketType.UnsubAck => MqttPropertyContext.UnsubAck,
        MqttPacketType.Disconnect => MqttPropertyContext.Disconnect,
        MqttPacketType.Auth => MqttPropertyContext.Auth,
        _ => MqttPropertyContext.None,
    };
}

namespace EmbeddedBroker.Protocol.Properties;

/// <summary>
/// Which packet may carry which property (5.0 section 2.2.2.2, table 2-4). Receiving a property on a packet
/// that does not list it is a protocol error, and so is a second copy of a property other than User Property
/// and (on PUBLISH only) Subscription Identifier (5.0 sections 3.x "It is a Protocol Error to include ... more than once").
/// </summary>
internal static class MqttPropertyRules
{
    private const MqttPropertyContext PublishAndWill = MqttPropertyContext.Publish | MqttPropertyContext.Will;
    private const MqttPropertyContext ConnectAndConnAck = MqttPropertyContext.Connect | MqttPropertyContext.ConnAck;

    public static MqttPropertyContext AllowedIn(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator => PublishAndWill,
        MqttPropertyId.MessageExpiryInterval => PublishAndWill,
        MqttPropertyId.ContentType => PublishAndWill,
        MqttPropertyId.ResponseTopic => PublishAndWill,
        MqttPropertyId.CorrelationData => PublishAndWill,
        MqttPropertyId.SubscriptionIdentifier => MqttPropertyContext.Publish | MqttPropertyContext.Subscribe,
        MqttPropertyId.SessionExpiryInterval => ConnectAndConnAck | MqttPropertyContext.Disconnect,
        MqttPropertyId.AssignedClientIdentifier => MqttPropertyContext.ConnAck,
        MqttPropertyId.ServerKeepAlive => MqttPropertyContext.ConnAck,
        MqttPropertyId.AuthenticationMethod => ConnectAndConnAck | MqttPropertyContext.Auth,
        MqttPropertyId.AuthenticationData => ConnectAndConnAck | MqttPropertyContext.Auth,
        MqttPropertyId.RequestProblemInformation => MqttPropertyContext.Connect,
        MqttPropertyId.WillDelayInterval => MqttPropertyContext.Will,
        MqttPropertyId.RequestResponseInformation => MqttPropertyContext.Connect,
        MqttPropertyId.ResponseInformation => MqttPropertyContext.ConnAck,
        MqttPropertyId.ServerReference => MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        MqttPropertyId.ReasonString => MqttPropertyContext.ConnAck | MqttPropertyContext.PublishAcks | MqttPropertyContext.SubAck |
                                       MqttPropertyContext.UnsubAck | MqttPropertyContext.Disconnect | MqttPropertyContext.Auth,
        MqttPropertyId.ReceiveMaximum => ConnectAndConnAck,
        MqttPropertyId.TopicAliasMaximum => ConnectAndConnAck,
        MqttPropertyId.TopicAlias => MqttPropertyContext.Publish,
        MqttPropertyId.MaximumQos => MqttPropertyContext.ConnAck,
        MqttPropertyId.RetainAvailable => MqttPropertyContext.ConnAck,
        MqttPropertyId.UserProperty => MqttPropertyContext.Everywhere,
        MqttPropertyId.MaximumPacketSize => ConnectAndConnAck,
        MqttPropertyId.WildcardSubscriptionAvailable => MqttPropertyContext.ConnAck,
        MqttPropertyId.SubscriptionIdentifiersAvailable => MqttPropertyContext.ConnAck,
        MqttPropertyId.SharedSubscriptionAvailable => MqttPropertyContext.ConnAck,
        _ => MqttPropertyContext.None,
    };

    public static bool IsAllowed(MqttPropertyId id, MqttPropertyContext context) => (AllowedIn(id) & context) != 0;
}

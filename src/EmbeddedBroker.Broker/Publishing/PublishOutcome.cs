namespace EmbeddedBroker.Broker.Publishing;

/// <summary>What the publish pipeline did with a message.</summary>
internal enum PublishOutcome : byte
{
    /// <summary>Accepted and handed to at least one subscriber queue.</summary>
    Delivered,

    /// <summary>Accepted (observed, retained if asked) but no subscription matched.</summary>
    NoSubscribers,

    /// <summary>Refused by the IPublishAuthorizer hook.</summary>
    NotAuthorized,

    /// <summary>Dropped by an IPublishInterceptor.</summary>
    Intercepted,

    /// <summary>A client or will publishing to a '$' topic (see MqttBrokerOptions.AllowClientPublishToDollarTopics).</summary>
    DollarTopicDropped,

    /// <summary>The topic name is not valid (empty, or contains a wildcard: MQTT-3.3.2-2).</summary>
    InvalidTopic,
}

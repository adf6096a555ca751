namespace EmbeddedBroker.Broker;

/// <summary>What the publish pipeline did with a message.</summary>
public enum PublishOutcome : byte
{
    /// <summary>Accepted and handed to at least one subscriber queue.</summary>
    Delivered,

    /// <summary>Accepted (observed, retained if asked) but no subscription matched.</summary>
    NoSubscribers,

    /// <summary>Refused by the IPublishAuthorizer hook.</summary>
    NotAuthorized,

    /// <summary>Dropped by an IPublishInterceptor.</summary>
    Intercepted,

    /// <summary>A '$' topic published by anyone but the broker's own $SYS publisher (clients and their wills only
    /// with <see cref="MqttCompatibilities.AllowClientPublishToDollarTopics"/>).</summary>
    DollarTopicDropped,

    /// <summary>The topic name is not valid (empty, or contains a wildcard: MQTT-3.3.2-2).</summary>
    InvalidTopic,
}

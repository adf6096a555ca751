using EmbeddedBroker.Contracts.Storage;

namespace EmbeddedBroker.Broker.Hooks;

/// <summary>The extension points of one broker. Everything is optional; the defaults allow all and observe nothing.</summary>
public sealed record MqttBrokerHooks
{
    public IConnectAuthenticator? Authenticator { get; init; }

    /// <summary>MQTT 5 enhanced authentication (AUTH exchanges); without one, a CONNECT naming a method gets 0x8C.</summary>
    public IEnhancedAuthenticator? EnhancedAuthenticator { get; init; }
    public IPublishAuthorizer? PublishAuthorizer { get; init; }
    public ISubscribeAuthorizer? SubscribeAuthorizer { get; init; }
    public IDeliveryAuthorizer? DeliveryAuthorizer { get; init; }
    public IReadOnlyList<IPublishInterceptor> Interceptors { get; init; } = [];

    /// <summary>See every accepted message; their receipts may hold the publisher's acknowledgement (the recorder).</summary>
    public IReadOnlyList<IPublishObserver> Observers { get; init; } = [];

    /// <summary>See every QoS 1/2 delivery a subscriber acknowledged (delivery receipts).</summary>
    public IReadOnlyList<IDeliveryObserver> DeliveryObservers { get; init; } = [];

    /// <summary>Add their figures to the $SYS topics (the store, the recorder).</summary>
    public IReadOnlyList<ISysTopicSource> SysTopicSources { get; init; } = [];

    /// <summary>Where retained messages and persistent sessions are kept across restarts; null keeps them in memory only.
    /// Its <see cref="IBrokerStore.DurableAcknowledgements"/> decides whether acknowledgements wait for its commits.</summary>
    public IBrokerStore? Store { get; init; }
}

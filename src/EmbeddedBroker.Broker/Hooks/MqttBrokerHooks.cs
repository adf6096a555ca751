namespace EmbeddedBroker.Broker.Hooks;

/// <summary>The extension points of one broker. Everything is optional; the defaults allow all and observe nothing.</summary>
public sealed record MqttBrokerHooks
{
    public IConnectAuthenticator? Authenticator { get; init; }
    public IPublishAuthorizer? PublishAuthorizer { get; init; }
    public IReadOnlyList<IPublishInterceptor> Interceptors { get; init; } = [];
    public IReadOnlyList<IPublishObserver> Observers { get; init; } = [];
}

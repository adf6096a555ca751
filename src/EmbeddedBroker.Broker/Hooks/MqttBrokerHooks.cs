namespace EmbeddedBroker.Broker.Hooks;

/// <summary>The extension points of one broker. Everything is optional; the defaults allow all and observe nothing.</summary>
public sealed record MqttBrokerHooks
{
    public IConnectAuthenticator? Authenticator { get; init; }
    public IPublishAuthorizer? PublishAuthorizer { get; init; }
    public IReadOnlyList<IPublishInterceptor> Interceptors { get; init; } = [];
    public IReadOnlyList<IPublishObserver> Observers { get; init; } = [];

    /// <summary>At-least-once recording: when set and enabled, QoS 1/2 acknowledgements wait until the message is recorded.</summary>
    public IRecordingAcknowledger? RecordingAcknowledger { get; init; }
}

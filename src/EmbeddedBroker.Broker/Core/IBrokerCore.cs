using EmbeddedBroker.Broker.Diagnostics;
using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Retained;
using EmbeddedBroker.Broker.Sessions;

namespace EmbeddedBroker.Broker.Core;

/// <summary>
/// What a connection and the $SYS publisher may use of the broker: its settings, sessions, the one publish pipeline,
/// the retained messages and the wills, the connect-time hooks and the shared throttled logs. Narrower than
/// <see cref="MqttBroker"/> on purpose: no connection registry, no lifetime, no public API.
/// </summary>
internal interface IBrokerCore
{
    MqttBrokerOptions Options { get; }
    BrokerStatistics Statistics { get; }
    SessionManager Sessions { get; }
    PublishPipeline Pipeline { get; }
    RetainedMessageTree Retained { get; }
    WillPublisher Wills { get; }
    MemoryBudget Memory { get; }
    BrokerLogs Logs { get; }
    IConnectAuthenticator? Authenticator { get; }
    IEnhancedAuthenticator? EnhancedAuthenticator { get; }
    ISubscribeAuthorizer? SubscribeAuthorizer { get; }
    IDeliveryAuthorizer? DeliveryAuthorizer { get; }

    /// <summary>Cancelled when the broker stops.</summary>
    CancellationToken Stopping { get; }
}

using EmbeddedBroker.Broker.Core;
using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Contracts.Storage;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>What every session of one broker shares: the subscription tree, the counters, the queue limits and the
/// broker-wide memory budget its bytes count against, the fan-out that re-routes a shared subscription's deliveries when a
/// member ends, and the store its changes are journaled to (null without persistence).</summary>
internal sealed record SessionEnvironment(
    SubscriptionTree<MqttSession> Tree,
    BrokerStatistics Statistics,
    SessionQueueLimits Limits,
    MemoryBudget Memory,
    IReadOnlyList<IDeliveryObserver> DeliveryObservers,
    FanOut FanOut,
    IBrokerStore? Store);

namespace EmbeddedBroker.Broker;

/// <summary>What <see cref="MqttBroker.PublishForAcknowledgementAsync"/> did with a message, and the task that completes
/// once the broker has kept it (observers' receipts, the store's commit): acknowledge it upstream only then.</summary>
public readonly record struct AcceptedPublish(PublishOutcome Outcome, Task Kept);

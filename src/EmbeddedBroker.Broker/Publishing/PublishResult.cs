namespace EmbeddedBroker.Broker.Publishing;

/// <summary>What one publish through the pipeline produced: what happened to the message, and the observers' receipt
/// that the publisher's acknowledgement waits for (<see cref="PublishReceipt.None"/> when nothing must be waited for).</summary>
internal readonly record struct PublishResult(PublishOutcome Outcome, PublishReceipt Receipt)
{
    public static PublishResult Of(PublishOutcome outcome) => new(outcome, PublishReceipt.None);
}

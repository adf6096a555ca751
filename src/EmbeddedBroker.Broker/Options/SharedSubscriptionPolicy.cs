namespace EmbeddedBroker.Broker;

/// <summary>Which member of a shared subscription's group gets the next message.</summary>
public enum SharedSubscriptionPolicy
{
    /// <summary>The next online member, in turn.</summary>
    RoundRobin,

    /// <summary>The online member with the fewest messages queued (a slow consumer gets fewer).</summary>
    LeastQueued,
}

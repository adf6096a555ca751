using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Subscriptions;

/// <summary>
/// The members of one shared subscription "$share/{Name}/{Filter}" (MQTT 5.0 section 4.8.2): each message matching the
/// filter goes to ONE of them. Members change under the subscription tree's write lock; readers (publishes) take the
/// current snapshot without any lock, so the array is replaced, never changed. The cursor spreads messages round robin.
/// </summary>
internal sealed class SharedGroup<TSubscriber>(string name, string filter)
    where TSubscriber : class
{
    private SubscriptionMatch<TSubscriber>[] _members = [];
    private int _cursor = -1;

    public string Name { get; } = name;

    /// <summary>The inner topic filter, without the "$share/{Name}/" prefix.</summary>
    public string Filter { get; } = filter;

    /// <summary>The current members; never changed once handed out.</summary>
    public SubscriptionMatch<TSubscriber>[] Members => Volatile.Read(ref _members);

    public bool IsEmpty => Members.Length == 0;

    /// <summary>Where the next round-robin choice starts (thread-safe, wraps around).</summary>
    public int NextStart() => (int)((uint)Interlocked.Increment(ref _cursor) % (uint)Math.Max(1, Members.Length));

    /// <summary>Adds or replaces a member (tree write lock held); true when it is new.</summary>
    public bool Set(TSubscriber subscriber, MqttTopicSubscription subscription)
    {
        var members = _members;
        var index = Array.FindIndex(members, m => ReferenceEquals(m.Subscriber, subscriber));
        var next = index < 0 ? new SubscriptionMatch<TSubscriber>[members.Length + 1] : (SubscriptionMatch<TSubscriber>[])members.Clone();
        if (index < 0)
        {
            members.CopyTo(next, 0);
            index = members.Length;
        }

        next[index] = new SubscriptionMatch<TSubscriber>(subscriber, subscription, this);
        Volatile.Write(ref _members, next);
        return index == members.Length;
    }

    /// <summary>Removes a member (tree write lock held); false when it was not one.</summary>
    public bool Remove(TSubscriber subscriber)
    {
        var members = _members;
        var index = Array.FindIndex(members, m => ReferenceEquals(m.Subscriber, subscriber));
        if (index < 0)
            return false;
        Volatile.Write(ref _members, [.. members[..index], .. members[(index + 1)..]]);
        return true;
    }
}

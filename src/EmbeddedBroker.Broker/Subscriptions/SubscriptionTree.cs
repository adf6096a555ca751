using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Subscriptions;

/// <summary>One subscription found for a topic: who subscribed and with which options.</summary>
internal readonly record struct SubscriptionMatch<TSubscriber>(TSubscriber Subscriber, MqttTopicSubscription Subscription);

/// <summary>
/// The topic index: one node per topic level, with '+' and '#' kept as dedicated children, so a publish walks
/// only the branches its topic can match (never every session). Topics starting with '$' never descend into the
/// root '+' and '#' branches (MQTT-4.7.2-1).
/// Readers (publishes) share a read lock and copy matches out; subscribe/unsubscribe take the write lock briefly.
/// Filters must be validated before they get here.
/// </summary>
internal sealed class SubscriptionTree<TSubscriber> : IDisposable
    where TSubscriber : class
{
    private readonly Node _root = new(null, "");
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private int _count;

    /// <summary>Number of (subscriber, filter) pairs held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds or replaces the subscription of <paramref name="subscriber"/> to its filter.
    /// Returns true when it is new, false when it replaced an existing one (MQTT-3.8.4-3: one subscription is kept).</summary>
    public bool AddOrReplace(TSubscriber subscriber, MqttTopicSubscription subscription)
    {
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new TopicLevels(subscription.TopicFilter))
                node = node.GetOrAddChild(level);

            node.Subscribers ??= [];
            var isNew = !node.Subscribers.ContainsKey(subscriber);
            node.Subscribers[subscriber] = subscription;
            if (isNew)
                _count++;
            return isNew;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the subscription of <paramref name="subscriber"/> to exactly this filter; prunes empty nodes.</summary>
    public bool Remove(TSubscriber subscriber, string topicFilter)
    {
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new TopicLevels(topicFilter))
            {
                node = node.FindChild(level);
                if (node is null)
                    return false;
            }

            if (node.Subscribers is null || !node.Subscribers.Remove(subscriber))
                return false;

            _count--;
            node.PruneUpwards();
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Appends every subscription matching <paramref name="topic"/> to <paramref name="results"/>
    /// (a subscriber with overlapping filters appears once per filter; the caller merges them).</summary>
    public void Match(string topic, List<SubscriptionMatch<TSubscriber>> results)
    {
        _lock.EnterReadLock();
        try
        {
            var isDollarTopic = topic.Length > 0 && topic[0] == '$';
            MatchLevel(_root, topic, 0, isRoot: true, isDollarTopic, results);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Matches the level of <paramref name="topic"/> starting at <paramref name="start"/> against the children of
    /// <paramref name="node"/>. A start beyond the topic's length means all levels are consumed.
    /// </summary>
    private static void MatchLevel(Node node, string topic, int start, bool isRoot, bool isDollarTopic, List<SubscriptionMatch<TSubscriber>> results)
    {
        var wildcardsAllowed = !(isRoot && isDollarTopic); // MQTT-4.7.2-1

        if (start > topic.Length)
        {
            node.AddSubscribersTo(results);
            // "sport/#" also matches "sport": '#' includes the parent level (4.7.1.2).
            if (node.MultiLevel is not null && wildcardsAllowed)
                node.MultiLevel.AddSubscribersTo(results);
            return;
        }

        if (wildcardsAllowed)
            node.MultiLevel?.AddSubscribersTo(results);

        var slash = topic.IndexOf('/', start);
        var end = slash < 0 ? topic.Length : slash;
        var next = end + 1; // past the topic's end when this was the last level

        var exact = node.FindChild(topic.AsSpan(start, end - start));
        if (exact is not null)
            MatchLevel(exact, topic, next, isRoot: false, isDollarTopic, results);

        if (node.SingleLevel is not null && wildcardsAllowed)
            MatchLevel(node.SingleLevel, topic, next, isRoot: false, isDollarTopic, results);
    }

    public void Dispose() => _lock.Dispose();

    private sealed class Node(Node? parent, string level)
    {
        private Dictionary<string, Node>? _children;

        public Node? Parent { get; } = parent;
        public string Level { get; } = level;
        public Node? SingleLevel { get; private set; }
        public Node? MultiLevel { get; private set; }
        public Dictionary<TSubscriber, MqttTopicSubscription>? Subscribers { get; set; }

        private bool IsEmpty =>
            (Subscribers is null || Subscribers.Count == 0) && SingleLevel is null && MultiLevel is null &&
            (_children is null || _children.Count == 0);

        public Node? FindChild(ReadOnlySpan<char> level)
        {
            if (level is "+")
                return SingleLevel;
            if (level is "#")
                return MultiLevel;
            if (_children is null)
                return null;
            // Alternate lookup: no string is allocated per topic level on the publish path.
            return _children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(level, out var child) ? child : null;
        }

        public Node GetOrAddChild(ReadOnlySpan<char> level)
        {
            if (level is "+")
                return SingleLevel ??= new Node(this, "+");
            if (level is "#")
                return MultiLevel ??= new Node(this, "#");

            _children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            var lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(level, out var child))
            {
                var name = level.ToString();
                child = new Node(this, name);
                _children.Add(name, child);
            }

            return child;
        }

        public void AddSubscribersTo(List<SubscriptionMatch<TSubscriber>> results)
        {
            if (Subscribers is null)
                return;
            foreach (var (subscriber, subscription) in Subscribers)
                results.Add(new SubscriptionMatch<TSubscriber>(subscriber, subscription));
        }

        public void PruneUpwards()
        {
            var node = this;
            while (node.Parent is { } parent && node.IsEmpty)
            {
                parent.RemoveChild(node);
                node = parent;
            }
        }

        private void RemoveChild(Node child)
        {
            if (ReferenceEquals(child, SingleLevel))
                SingleLevel = null;
            else if (ReferenceEquals(child, MultiLevel))
                MultiLevel = null;
            else
                _children?.Remove(child.Level);
        }
    }
}

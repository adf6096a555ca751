using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Subscriptions;

/// <summary>
/// One subscription found for a topic: who subscribed and with which options; <see cref="Group"/> is set for a member
/// of a shared subscription, and <see cref="Identifiers"/> holds the subscription's MQTT 5 identifier as the list a
/// PUBLISH carries (built once at subscribe time, so delivering costs no allocation).
/// </summary>
internal readonly record struct SubscriptionMatch<TSubscriber>(TSubscriber Subscriber, MqttTopicSubscription Subscription, SharedGroup<TSubscriber>? Group = null)
    where TSubscriber : class
{
    public IReadOnlyList<uint>? Identifiers { get; } = Subscription.SubscriptionIdentifier is { } id ? [id] : null;
}

/// <summary>
/// The topic index: one node per topic level, with '+' and '#' kept as dedicated children, so a publish walks
/// only the branches its topic can match (never every session). Topics starting with '$' never descend into the
/// root '+' and '#' branches (MQTT-4.7.2-1). A shared subscription "$share/{group}/{filter}" lives at its inner
/// filter's node as a <see cref="SharedGroup{TSubscriber}"/>.
/// Readers (publishes) share a read lock and copy matches out; subscribe/unsubscribe take the write lock briefly.
/// Filters must be validated before they get here.
/// </summary>
internal sealed class SubscriptionTree<TSubscriber> : IDisposable
    where TSubscriber : class
{
    private readonly Node _root = new(null, "");
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private int _count;

    /// <summary>Number of (subscriber, filter) pairs held, shared memberships included.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds or replaces the subscription of <paramref name="subscriber"/> to its filter.
    /// Returns true when it is new, false when it replaced an existing one (MQTT-3.8.4-3: one subscription is kept).</summary>
    public bool AddOrReplace(TSubscriber subscriber, MqttTopicSubscription subscription)
    {
        var (group, filter) = Split(subscription.TopicFilter);
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new TopicLevels(filter))
                node = node.GetOrAddChild(level);

            bool isNew;
            if (group is not null)
            {
                node.Groups ??= new Dictionary<string, SharedGroup<TSubscriber>>(StringComparer.Ordinal);
                if (!node.Groups.TryGetValue(group, out var shared))
                    node.Groups.Add(group, shared = new SharedGroup<TSubscriber>(group, filter));
                isNew = shared.Set(subscriber, subscription);
            }
            else
            {
                node.Subscribers ??= [];
                isNew = !node.Subscribers.ContainsKey(subscriber);
                node.Subscribers[subscriber] = new SubscriptionMatch<TSubscriber>(subscriber, subscription);
            }

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
        var (group, filter) = Split(topicFilter);
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new TopicLevels(filter))
            {
                node = node.FindChild(level);
                if (node is null)
                    return false;
            }

            if (!node.Remove(subscriber, group))
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

    /// <summary>Appends every ordinary subscription matching <paramref name="topic"/> to <paramref name="results"/> (a
    /// subscriber with overlapping filters appears once per filter; the caller merges them) and every matching shared
    /// group to <paramref name="groups"/> (the caller picks one member of each).</summary>
    public void Match(string topic, List<SubscriptionMatch<TSubscriber>> results, List<SharedGroup<TSubscriber>> groups)
    {
        _lock.EnterReadLock();
        try
        {
            var isDollarTopic = topic.Length > 0 && topic[0] == '$';
            MatchLevel(_root, topic, 0, isRoot: true, isDollarTopic, new Matches(results, groups));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>"$share/g/a/b" -> ("g", "a/b"); anything else -> (null, filter).</summary>
    private static (string? Group, string Filter) Split(string topicFilter) =>
        MqttTopic.TryParseSharedSubscription(topicFilter, out var group, out var inner) ? (group, inner) : (null, topicFilter);

    /// <summary>
    /// Matches the level of <paramref name="topic"/> starting at <paramref name="start"/> against the children of
    /// <paramref name="node"/>. A start beyond the topic's length means all levels are consumed.
    /// </summary>
    private static void MatchLevel(Node node, string topic, int start, bool isRoot, bool isDollarTopic, Matches matches)
    {
        var wildcardsAllowed = !(isRoot && isDollarTopic); // MQTT-4.7.2-1

        if (start > topic.Length)
        {
            node.AddTo(matches);
            // "sport/#" also matches "sport": '#' includes the parent level (4.7.1.2).
            if (node.MultiLevel is not null && wildcardsAllowed)
                node.MultiLevel.AddTo(matches);
            return;
        }

        if (wildcardsAllowed)
            node.MultiLevel?.AddTo(matches);

        var slash = topic.IndexOf('/', start);
        var end = slash < 0 ? topic.Length : slash;
        var next = end + 1; // past the topic's end when this was the last level

        var exact = node.FindChild(topic.AsSpan(start, end - start));
        if (exact is not null)
            MatchLevel(exact, topic, next, isRoot: false, isDollarTopic, matches);

        if (node.SingleLevel is not null && wildcardsAllowed)
            MatchLevel(node.SingleLevel, topic, next, isRoot: false, isDollarTopic, matches);
    }

    public void Dispose() => _lock.Dispose();

    private readonly record struct Matches(List<SubscriptionMatch<TSubscriber>> Ordinary, List<SharedGroup<TSubscriber>> Shared);

    private sealed class Node(Node? parent, string level)
    {
        private Dictionary<string, Node>? _children;

        public Node? Parent { get; } = parent;
        public string Level { get; } = level;
        public Node? SingleLevel { get; private set; }
        public Node? MultiLevel { get; private set; }
        public Dictionary<TSubscriber, SubscriptionMatch<TSubscriber>>? Subscribers { get; set; }
        public Dictionary<string, SharedGroup<TSubscriber>>? Groups { get; set; }

        private bool IsEmpty =>
            (Subscribers is null || Subscribers.Count == 0) && (Groups is null || Groups.Count == 0) &&
            SingleLevel is null && MultiLevel is null && (_children is null || _children.Count == 0);

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

        public bool Remove(TSubscriber subscriber, string? group)
        {
            if (group is null)
                return Subscribers is not null && Subscribers.Remove(subscriber);
            if (Groups is null || !Groups.TryGetValue(group, out var shared) || !shared.Remove(subscriber))
                return false;
            if (shared.IsEmpty)
                Groups.Remove(group);
            return true;
        }

        public void AddTo(Matches matches)
        {
            if (Subscribers is not null)
                matches.Ordinary.AddRange(Subscribers.Values);
            if (Groups is not null)
                matches.Shared.AddRange(Groups.Values);
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

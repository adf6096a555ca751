using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Retained;

/// <summary>
/// The last retained message per topic (MQTT-3.3.1-5), in a tree with one node per topic level like the subscription
/// tree, so that a subscription walks only the branches its filter can match instead of every retained topic: an exact
/// filter is one lookup per level, '+' visits the children of one level, '#' the sub-tree below it. Topics starting
/// with '$' are kept out of root-level wildcards (MQTT-4.7.2-1). A retained PUBLISH with an empty payload removes the
/// topic's message (MQTT-3.3.1-10/11) and prunes the nodes left empty.
/// One short lock guards the tree: retained publishes and subscribes are far rarer than plain publishes.
/// </summary>
internal sealed class RetainedMessageTree
{
    private readonly Lock _lock = new();
    private readonly Node _root = new(null, "");
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Stores, replaces or (empty payload) clears the retained message of the message's topic.</summary>
    public void Apply(MqttApplicationMessage message)
    {
        lock (_lock)
        {
            if (message.Payload.IsEmpty)
                Clear(message.Topic);
            else
                Set(message);
        }
    }

    /// <summary>Puts back the retained messages of a store at start (empty ones are ignored).</summary>
    public void Restore(IEnumerable<MqttApplicationMessage> messages)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                if (!message.Payload.IsEmpty && MqttTopic.IsValidTopicName(message.Topic))
                    Set(message);
            }
        }
    }

    /// <summary>Appends the retained messages whose topic matches <paramref name="topicFilter"/> (a valid filter).</summary>
    public void CollectMatches(string topicFilter, List<MqttApplicationMessage> results)
    {
        lock (_lock)
            Collect(_root, topicFilter, 0, results);
    }

    public IReadOnlyList<MqttApplicationMessage> Snapshot()
    {
        var all = new List<MqttApplicationMessage>(Count);
        lock (_lock)
            _root.CollectSubtree(all, skipDollarChildren: false);
        return all;
    }

    private void Set(MqttApplicationMessage message)
    {
        var node = _root;
        foreach (var level in new TopicLevels(message.Topic))
            node = node.GetOrAddChild(level);
        if (node.Message is null)
            _count++;
        node.Message = message;
    }

    private void Clear(string topic)
    {
        var node = _root;
        foreach (var level in new TopicLevels(topic))
        {
            node = node.FindChild(level);
            if (node is null)
                return;
        }

        if (node.Message is null)
            return;
        node.Message = null;
        _count--;
        node.PruneUpwards();
    }

    /// <summary>Matches the filter's levels from <paramref name="start"/> against the children of <paramref name="node"/>;
    /// a start past the filter's end means every level was consumed.</summary>
    private static void Collect(Node node, string filter, int start, List<MqttApplicationMessage> results)
    {
        if (start > filter.Length)
        {
            if (node.Message is { } message)
                results.Add(message);
            return;
        }

        var slash = filter.IndexOf('/', start);
        var end = slash < 0 ? filter.Length : slash;
        var level = filter.AsSpan(start, end - start);
        var atRoot = node.Parent is null;

        if (level is "#")
        {
            // "sport/#" also matches "sport" itself (4.7.1.2); at the root there is no parent level.
            if (!atRoot && node.Message is { } parent)
                results.Add(parent);
            node.CollectSubtree(results, skipDollarChildren: atRoot);
            return;
        }

        if (level is "+")
        {
            foreach (var child in node.Children)
            {
                if (!(atRoot && child.Level.StartsWith('$')))
                    Collect(child, filter, end + 1, results);
            }

            return;
        }

        if (node.FindChild(level) is { } exact)
            Collect(exact, filter, end + 1, results);
    }

    private sealed class Node(Node? parent, string level)
    {
        private Dictionary<string, Node>? _children;

        public Node? Parent { get; } = parent;
        public string Level { get; } = level;
        public MqttApplicationMessage? Message { get; set; }

        public Node? FindChild(ReadOnlySpan<char> level) =>
            _children is not null && _children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(level, out var child) ? child : null;

        public Node GetOrAddChild(ReadOnlySpan<char> level)
        {
            _children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            var lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(level, out var child))
                return child;
            var name = level.ToString();
            child = new Node(this, name);
            _children.Add(name, child);
            return child;
        }

        public IEnumerable<Node> Children => _children is null ? [] : _children.Values;

        /// <summary>Every message strictly below this node (iteratively: topic trees can be deep).</summary>
        public void CollectSubtree(List<MqttApplicationMessage> results, bool skipDollarChildren)
        {
            if (_children is null)
                return;
            var pending = new Stack<Node>();
            foreach (var child in _children.Values)
            {
                if (!(skipDollarChildren && child.Level.StartsWith('$')))
                    pending.Push(child);
            }

            while (pending.TryPop(out var next))
            {
                if (next.Message is { } message)
                    results.Add(message);
                if (next._children is null)
                    continue;
                foreach (var child in next._children.Values)
                    pending.Push(child);
            }
        }

        public void PruneUpwards()
        {
            var node = this;
            while (node.Parent is { } up && node.Message is null && node._children is not { Count: > 0 })
            {
                up._children!.Remove(node.Level);
                node = up;
            }
        }
    }
}

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// ACL filters compiled into a tree with one node per topic level, so that a check walks the topic's levels once
/// (plus the '+' branches) instead of matching every rule: with a 1,000-line ACL a check costs a few dictionary
/// lookups. <see cref="Match"/> returns the union of the grants of every filter matching the topic, with Mosquitto's
/// matching (mosquitto_topic_matches_sub): '+' one level (possibly empty), '#' the parent level and all below, and a
/// topic starting with '$' matched only by filters whose first level is literal. Built once, then read-only, so any
/// number of threads may match at once.
/// </summary>
internal sealed class AclRuleTree
{
    private readonly Node _root = new();

    public bool IsEmpty { get; private set; } = true;

    public void Add(string filter, AclGrant grant)
    {
        IsEmpty = false;
        var node = _root;
        foreach (var level in filter.Split('/'))
        {
            if (level == "#")
            {
                node.MultiLevel |= grant;
                return;
            }
            node = level == "+" ? node.SingleLevel ??= new Node() : node.Child(level);
        }
        node.Terminal |= grant;
    }

    public AclGrant Match(ReadOnlySpan<char> topic)
    {
        var wildcardsMatch = topic.IsEmpty || topic[0] != '$';
        return Walk(_root, topic, wildcardsMatch);
    }

    /// <summary>At <paramref name="node"/> with <paramref name="remaining"/> levels of the topic still to match.</summary>
    private static AclGrant Walk(Node node, ReadOnlySpan<char> remaining, bool wildcardsMatch)
    {
        var grant = wildcardsMatch ? node.MultiLevel : AclGrant.None;
        var separator = remaining.IndexOf('/');
        var level = separator < 0 ? remaining : remaining[..separator];
        if (node.Children is { } children && children.TryGetValue(level, out var child))
        {
            grant |= separator < 0 ? child.AtEnd() : Walk(child, remaining[(separator + 1)..], true);
        }
        if (wildcardsMatch && node.SingleLevel is { } single)
        {
            grant |= separator < 0 ? single.AtEnd() : Walk(single, remaining[(separator + 1)..], true);
        }
        return grant;
    }

    private sealed class Node
    {
        private Dictionary<string, Node>? _children;

        public Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>>? Children { get; private set; }

        public Node? SingleLevel { get; set; }

        /// <summary>Grants of "this level/#".</summary>
        public AclGrant MultiLevel { get; set; }

        /// <summary>Grants of the filters ending at this level.</summary>
        public AclGrant Terminal { get; set; }

        /// <summary>The topic ends at this node: filters ending here match, and so does "this level/#" (the parent).</summary>
        public AclGrant AtEnd() => Terminal | MultiLevel;

        public Node Child(string level)
        {
            if (_children is null)
            {
                _children = new Dictionary<string, Node>(StringComparer.Ordinal);
                Children = _children.GetAlternateLookup<ReadOnlySpan<char>>();
            }
            if (!_children.TryGetValue(level, out var child))
            {
                child = new Node();
                _children.Add(level, child);
            }
            return child;
        }
    }
}

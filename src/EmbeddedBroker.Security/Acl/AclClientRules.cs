namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// What one connected client is checked against under one loaded policy: its user's tree, its own compiled patterns,
/// and its decision cache. Replaced as a whole when the policy is reloaded.
/// </summary>
internal sealed class AclClientRules
{
    private readonly AclPolicy? _policy;
    private readonly AclRuleTree? _userTree;
    private readonly AclRuleTree? _patternTree;
    private readonly bool _dangerousIdentity;

    public AclClientRules(object generation, AclPolicy? policy, string clientId, string? username, AclOptions options)
    {
        Generation = generation;
        _policy = policy;
        if (policy is null)
        {
            return;
        }
        _userTree = policy.TreeFor(username);
        if (policy.HasPatterns)
        {
            // Mosquitto refuses clients whose user name or client id holds '+' or '#' once patterns exist: substituted,
            // they would widen the pattern to topics that are not theirs.
            _dangerousIdentity = clientId.AsSpan().IndexOfAny('+', '#') >= 0 || (username?.AsSpan().IndexOfAny('+', '#') ?? -1) >= 0;
            Patterns = _dangerousIdentity ? [] : policy.CompilePatterns(clientId, username);
            _patternTree = AclPolicy.Compile(Patterns);
        }
        Cache = new AclDecisionCache(options.MaximumCachedTopicsPerClient, options.MaximumCachedBytesPerClient);
        UserRules = policy.RulesFor(username);
    }

    /// <summary>The loaded policy set these rules were built from; a different one means "rebuild".</summary>
    public object Generation { get; }

    public AclPolicy? Policy => _policy;

    public AclDecisionCache? Cache { get; }

    public IReadOnlyList<AclRule> UserRules { get; } = [];

    public IReadOnlyList<AclRule> Patterns { get; } = [];

    public bool DangerousIdentity => _dangerousIdentity;

    /// <summary>Mosquitto's mosquitto_acl_check_default for a read or write of <paramref name="topic"/>.</summary>
    public bool IsAllowed(string topic, AclGrant access)
    {
        if (_policy is null)
        {
            return true; // no acl_file for this listener
        }
        if (Cache!.TryGet(topic, access, out var cached))
        {
            return cached;
        }
        var allowed = Evaluate(topic, access);
        Cache.Store(topic, access, allowed);
        return allowed;
    }

    private bool Evaluate(string topic, AclGrant access)
    {
        // The user's own lines first: a deny among them refuses, a grant among them allows.
        var grant = _userTree?.Match(topic) ?? AclGrant.None;
        if ((grant & AclGrant.Deny) != 0)
        {
            return false;
        }
        if ((grant & access) != 0)
        {
            return true;
        }
        // Then the patterns, the same way; nothing matching is a refusal.
        if (_patternTree is null || _dangerousIdentity)
        {
            return false;
        }
        grant = _patternTree.Match(topic);
        return (grant & AclGrant.Deny) == 0 && (grant & access) != 0;
    }
}

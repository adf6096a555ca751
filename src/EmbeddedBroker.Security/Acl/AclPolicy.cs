using System.Collections.Frozen;
using System.Text;

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// An <see cref="AclFile"/> compiled for checking: one rule tree per user (and one for anonymous clients), built once
/// at load. Patterns depend on the client, so they are compiled per client (<see cref="CompilePatterns"/>) on its
/// first check. Immutable.
/// </summary>
internal sealed class AclPolicy
{
    private readonly FrozenDictionary<string, AclRuleTree> _users;
    private readonly AclRuleTree? _anonymous;

    public AclPolicy(AclFile file)
    {
        File = file;
        _anonymous = file.AnonymousRules.Count > 0 ? Compile(file.AnonymousRules) : null;
        _users = file.UserRules.ToFrozenDictionary(p => p.Key, p => Compile(p.Value), StringComparer.Ordinal);
    }

    public AclFile File { get; }

    public bool HasPatterns => File.Patterns.Count > 0;

    /// <summary>The tree of the user's "topic" lines (the anonymous ones for null); null when the file has none for it.</summary>
    public AclRuleTree? TreeFor(string? username) =>
        username is null ? _anonymous : _users.TryGetValue(username, out var tree) ? tree : null;

    public IReadOnlyList<AclRule> RulesFor(string? username) =>
        username is null ? File.AnonymousRules : File.UserRules.TryGetValue(username, out var rules) ? rules : [];

    /// <summary>
    /// The pattern lines with %c and %u replaced, left to right, as Mosquitto does (anywhere in the filter, so a client
    /// id containing '/' spans levels). Lines with %u are left out for a client without a user name.
    /// </summary>
    public IReadOnlyList<AclRule> CompilePatterns(string clientId, string? username)
    {
        var rules = new List<AclRule>(File.Patterns.Count);
        foreach (var pattern in File.Patterns)
        {
            if (username is null && pattern.Filter.Contains("%u", StringComparison.Ordinal))
            {
                continue;
            }
            rules.Add(pattern with { Filter = Substitute(pattern.Filter, clientId, username) });
        }
        return rules;
    }

    public static AclRuleTree Compile(IEnumerable<AclRule> rules)
    {
        var tree = new AclRuleTree();
        foreach (var rule in rules)
        {
            tree.Add(rule.Filter, rule.Grant);
        }
        return tree;
    }

    private static string Substitute(string filter, string clientId, string? username)
    {
        if (!filter.Contains('%', StringComparison.Ordinal))
        {
            return filter;
        }
        var result = new StringBuilder(filter.Length + clientId.Length);
        for (var i = 0; i < filter.Length; i++)
        {
            if (filter[i] == '%' && i + 1 < filter.Length)
            {
                if (filter[i + 1] == 'c')
                {
                    result.Append(clientId);
                    i++;
                    continue;
                }
                if (filter[i + 1] == 'u' && username is not null)
                {
                    result.Append(username);
                    i++;
                    continue;
                }
            }
            result.Append(filter[i]);
        }
        return result.ToString();
    }
}

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// How two topic filters relate, for <see cref="AclSubscribeCheck.RefuseUnreadableFilters"/>: whether some topic
/// matches both, and whether one matches every topic the other does. Both respect the rule that a topic starting with
/// '$' is matched only by filters whose first level is literal (MQTT-4.7.2-1). Used per SUBSCRIBE, not per message.
/// </summary>
internal static class AclFilterRelations
{
    /// <summary>True when at least one topic name matches both filters.</summary>
    public static bool Overlap(string first, string second)
    {
        var a = first.Split('/');
        var b = second.Split('/');
        for (var i = 0; ; i++)
        {
            var aEnded = i >= a.Length;
            var bEnded = i >= b.Length;
            if (aEnded || bEnded)
            {
                // "a" and "a/#" share the topic "a" ('#' includes the parent level).
                return (aEnded && bEnded) || (aEnded ? b[i] == "#" : a[i] == "#");
            }
            var x = a[i];
            var y = b[i];
            if (i == 0 && ((IsWildcard(x) && y.StartsWith('$')) || (IsWildcard(y) && x.StartsWith('$'))))
            {
                return false;
            }
            if (x == "#" || y == "#")
            {
                return true;
            }
            if (x != "+" && y != "+" && x != y)
            {
                return false;
            }
        }
    }

    /// <summary>True when every topic name matching <paramref name="inner"/> also matches <paramref name="outer"/>.</summary>
    public static bool Covers(string outer, string inner)
    {
        var o = outer.Split('/');
        var n = inner.Split('/');
        for (var i = 0; ; i++)
        {
            if (i >= o.Length)
            {
                return i >= n.Length;
            }
            var level = o[i];
            var innerStartsWithDollar = i == 0 && n[0].StartsWith('$');
            if (level == "#")
            {
                return !innerStartsWithDollar;
            }
            if (i >= n.Length)
            {
                return false;
            }
            var other = n[i];
            if (level == "+")
            {
                if (other == "#" || innerStartsWithDollar)
                {
                    return false;
                }
                continue;
            }
            if (IsWildcard(other) || other != level)
            {
                return false;
            }
        }
    }

    private static bool IsWildcard(string level) => level is "+" or "#";
}

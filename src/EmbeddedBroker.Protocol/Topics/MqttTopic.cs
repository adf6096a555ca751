using System.Text;

namespace EmbeddedBroker.Protocol;

/// <summary>
/// Topic names, topic filters and matching (3.1.1 section 4.7, 5.0 section 4.7). Allocation-free: everything works
/// on spans, level by level.
/// </summary>
public static class MqttTopic
{
    public const char LevelSeparator = '/';
    public const char SingleLevelWildcard = '+';
    public const char MultiLevelWildcard = '#';
    public const string SharedSubscriptionPrefix = "$share/";

    /// <summary>
    /// A topic name a PUBLISH may carry: at least one character (MQTT-4.7.3-1), no wildcard (MQTT-4.7.3-2 in 3.1.1,
    /// MQTT-3.3.2-2), no U+0000 (MQTT-4.7.3-2 in 5.0) and at most 65,535 UTF-8 bytes (MQTT-4.7.3-3).
    /// </summary>
    public static bool IsValidTopicName(ReadOnlySpan<char> topic)
    {
        return !topic.IsEmpty
            && topic.IndexOfAny(SingleLevelWildcard, MultiLevelWildcard, '\0') < 0
            && FitsInMqttString(topic);
    }

    /// <summary>
    /// A syntactically valid topic filter: at least one character, no U+0000, at most 65,535 UTF-8 bytes,
    /// '+' occupying a whole level (MQTT-4.7.1-3) and '#' alone in the last level (MQTT-4.7.1-2).
    /// A shared subscription ("$share/group/filter") is valid here when its whole text is; use
    /// <see cref="TryParseSharedSubscription"/> to check the share name and inner filter.
    /// </summary>
    public static bool IsValidTopicFilter(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty || filter.Contains('\0') || !FitsInMqttString(filter))
        {
            return false;
        }
        var rest = filter;
        while (true)
        {
            var separator = rest.IndexOf(LevelSeparator);
            var level = separator < 0 ? rest : rest[..separator];
            if (level.Length > 1 && level.IndexOfAny(SingleLevelWildcard, MultiLevelWildcard) >= 0)
            {
                return false;
            }
            if (level is "#" && separator >= 0)
            {
                return false;
            }
            if (separator < 0)
            {
                return true;
            }
            rest = rest[(separator + 1)..];
        }
    }

    /// <summary>
    /// Whether <paramref name="topicName"/> matches <paramref name="filter"/>. "+" matches exactly one level (possibly
    /// empty), "#" the parent level and every level below it (4.7.1.2), and topics starting with '$' are never matched
    /// by a filter starting with a wildcard (MQTT-4.7.2-1). Both arguments are assumed valid; for a shared subscription
    /// pass the inner filter.
    /// </summary>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topicName)
    {
        if (!topicName.IsEmpty && topicName[0] == '$' && !filter.IsEmpty && filter[0] is SingleLevelWildcard or MultiLevelWildcard)
        {
            return false;
        }
        var topicExhausted = false;
        while (true)
        {
            var filterSeparator = filter.IndexOf(LevelSeparator);
            var filterLevel = filterSeparator < 0 ? filter : filter[..filterSeparator];
            if (filterLevel is "#")
            {
                return true;
            }
            if (topicExhausted)
            {
                return false;
            }
            var topicSeparator = topicName.IndexOf(LevelSeparator);
            var topicLevel = topicSeparator < 0 ? topicName : topicName[..topicSeparator];
            if (filterLevel is not "+" && !filterLevel.SequenceEqual(topicLevel))
            {
                return false;
            }
            if (filterSeparator < 0)
            {
                return topicSeparator < 0;
            }
            filter = filter[(filterSeparator + 1)..];
            if (topicSeparator < 0)
            {
                topicExhausted = true;
            }
            else
            {
                topicName = topicName[(topicSeparator + 1)..];
            }
        }
    }

    /// <summary>True when the filter contains '+' or '#'.</summary>
    public static bool HasWildcard(ReadOnlySpan<char> filter) => filter.IndexOfAny(SingleLevelWildcard, MultiLevelWildcard) >= 0;

    /// <summary>True when the filter starts with "$share/" (5.0 section 4.8.2).</summary>
    public static bool IsSharedSubscription(ReadOnlySpan<char> filter) => filter.StartsWith(SharedSubscriptionPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Splits "$share/{ShareName}/{filter}" (5.0 section 4.8.2). False when <paramref name="filter"/> is not a shared
    /// subscription or is an invalid one: the share name must be at least one character without '/', '+' or '#'
    /// (MQTT-4.8.2-1, MQTT-4.8.2-2) and the inner filter must be a valid filter.
    /// </summary>
    public static bool TryParseSharedSubscription(string filter, out string shareName, out string topicFilter)
    {
        shareName = "";
        topicFilter = "";
        if (!IsSharedSubscription(filter))
        {
            return false;
        }
        var rest = filter.AsSpan(SharedSubscriptionPrefix.Length);
        var separator = rest.IndexOf(LevelSeparator);
        if (separator <= 0)
        {
            return false;
        }
        var share = rest[..separator];
        var inner = rest[(separator + 1)..];
        if (HasWildcard(share) || !IsValidTopicFilter(inner))
        {
            return false;
        }
        shareName = share.ToString();
        topicFilter = inner.ToString();
        return true;
    }

    private static bool FitsInMqttString(ReadOnlySpan<char> text)
    {
        // Each char is at most 3 UTF-8 bytes: only long strings need the exact count.
        return text.Length <= ushort.MaxValue / 3 || Encoding.UTF8.GetByteCount(text) <= ushort.MaxValue;
    }
}

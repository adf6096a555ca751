using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.History;

/// <summary>
/// What SQL can do with an MQTT topic filter using the topic index: an exact topic, or the range of topics that start
/// with the filter's literal prefix (the part before its first wildcard; for a trailing "/#" the parent level too, which
/// '#' also matches, MQTT-4.7.1-2). The range is a superset: rows in it are then matched with
/// <see cref="MqttTopic.Matches"/>, which also keeps '$' topics away from '#' and '+' (MQTT-4.7.2-1). Ranges compare in
/// code point order, which is the byte order SQLite's BINARY and PostgreSQL's "C" collation use for UTF-8.
/// </summary>
internal readonly record struct TopicRange(string? Exact, string? Low, string? High, bool NeedsMatch)
{
    public static TopicRange For(string? filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return new TopicRange(null, null, null, NeedsMatch: false);
        }

        var wildcard = filter.IndexOfAny(['+', '#']);
        if (wildcard < 0)
        {
            return new TopicRange(filter, null, null, NeedsMatch: false);
        }

        var prefix = filter[..wildcard];
        if (filter[wildcard] == '#' && prefix.EndsWith('/'))
        {
            prefix = prefix[..^1]; // "a/#" matches "a" itself
        }

        if (prefix.Length == 0)
        {
            return new TopicRange(null, null, null, NeedsMatch: true);
        }

        var last = prefix[^1];
        var high = char.IsSurrogate(last) || last == char.MaxValue ? null : prefix[..^1] + (char)(last + 1);
        return new TopicRange(null, prefix, high, NeedsMatch: true);
    }
}

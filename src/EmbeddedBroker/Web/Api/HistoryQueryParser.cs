using System.Globalization;
using EmbeddedBroker.Protocol;
using Microsoft.AspNetCore.Http;

namespace EmbeddedBroker.Web.Api;

/// <summary>
/// The query parameters the history endpoints share, each checked on its own so a 400 names the one at fault:
/// <c>topic</c> (an MQTT topic filter), <c>from</c> / <c>to</c> (ISO 8601, both inclusive), <c>since</c> (strictly after,
/// the older parameter), <c>limit</c>, <c>cursor</c> (the X-Next-Cursor of the previous page), <c>after</c> (ids above it).
/// </summary>
internal sealed class HistoryQueryParser(IQueryCollection query)
{
    public IResult? Error { get; private set; }

    public string? TopicFilter()
    {
        if (!query.TryGetValue("topic", out var values))
        {
            return null;
        }

        var filter = values.ToString();
        if (!MqttTopic.IsValidTopicFilter(filter))
        {
            Fail("topic", "'topic' must be a valid MQTT topic filter, e.g. sensors/+/temperature or #");
            return null;
        }

        // A shared subscription's filter selects what its inner filter does.
        return MqttTopic.IsSharedSubscription(filter) && MqttTopic.TryParseSharedSubscription(filter, out _, out var inner) ? inner : filter;
    }

    public DateTimeOffset? Time(string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(values.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return parsed;
        }

        Fail(name, $"'{name}' must be an ISO 8601 date and time, e.g. 2025-01-31T12:00:00Z");
        return null;
    }

    public int Limit(int fallback, int maximum)
    {
        if (!query.TryGetValue("limit", out var values))
        {
            return Math.Min(fallback, maximum);
        }

        if (int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= maximum)
        {
            return limit;
        }

        Fail("limit", $"'limit' must be a whole number from 1 to {maximum}");
        return fallback;
    }

    public long? Id(string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        Fail(name, $"'{name}' must be the id (a whole number) an earlier answer gave, e.g. its X-Next-Cursor header");
        return null;
    }

    public string? Text(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;

    private void Fail(string field, string message) => Error ??= ApiError.BadRequest(field, message);
}

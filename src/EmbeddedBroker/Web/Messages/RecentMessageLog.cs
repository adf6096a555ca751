using EmbeddedBroker.Broker;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Web.Options;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Messages;

/// <summary>
/// The last N messages accepted by the publish pipeline (clients, wills, API, simulator), for GET /api/messages and
/// the dashboard. The broker's own $SYS reports are left out, as the recorder leaves them out by default: every
/// SysInterval they would otherwise push the users' messages out of the ring on a quiet broker.
/// A fixed ring of references to the broker's immutable messages: observing costs one short lock and one store,
/// no allocation, so it never slows the publishing connection.
/// </summary>
public sealed class RecentMessageLog : IPublishObserver
{
    private readonly Lock gate = new();
    private readonly MqttApplicationMessage?[] ring;
    private long written;

    public RecentMessageLog(IOptions<WebOptions> options)
    {
        ring = new MqttApplicationMessage?[options.Value.Api.RecentMessagesCapacity];
    }

    public int Capacity => ring.Length;

    /// <summary>How many messages are held now (at most <see cref="Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return (int)Math.Min(written, ring.Length);
            }
        }
    }

    public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
    {
        if (message.Source == MessageSource.System)
        {
            return PublishReceipt.None;
        }

        lock (gate)
        {
            ring[written % ring.Length] = message;
            written++;
        }

        return PublishReceipt.None;
    }

    /// <summary>
    /// Newest first: at most <paramref name="limit"/> messages whose topic matches <paramref name="topicFilter"/>
    /// (null: any) and that were received strictly after <paramref name="since"/> (null: any time).
    /// </summary>
    /// <param name="mayRead">When given, only topics it accepts are returned (the caller's ACL), before the limit counts.</param>
    public IReadOnlyList<MqttApplicationMessage> Query(string? topicFilter, DateTimeOffset? since, int limit, Func<string, bool>? mayRead = null)
    {
        MqttApplicationMessage?[] snapshot;
        long count;
        lock (gate)
        {
            count = Math.Min(written, ring.Length);
            snapshot = new MqttApplicationMessage?[count];
            for (long i = 0; i < count; i++)
            {
                snapshot[i] = ring[(written - 1 - i) % ring.Length];
            }
        }

        var result = new List<MqttApplicationMessage>(Math.Min(limit, snapshot.Length));
        foreach (var message in snapshot)
        {
            if (result.Count >= limit)
            {
                break;
            }

            if (message is null || (since is { } after && message.ReceivedAt <= after))
            {
                continue;
            }

            if ((topicFilter is null || MqttTopic.Matches(topicFilter, message.Topic)) && (mayRead is null || mayRead(message.Topic)))
            {
                result.Add(message);
            }
        }

        return result;
    }
}

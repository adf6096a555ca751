using System.Runtime.CompilerServices;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Web.Api;
using EmbeddedBroker.Web.Options;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Messages;

/// <summary>
/// The last messages accepted by the publish pipeline (clients, wills, API, simulator), for GET /api/messages and the
/// dashboard when no database is recorded. The broker's own $SYS reports are left out, as the recorder leaves them out
/// by default: every SysInterval they would otherwise push the users' messages out of the ring on a quiet broker.
/// <para>
/// Bounded in count (Web:Api:RecentMessagesCapacity) and in bytes (Web:Api:RecentMessagesMaxBytes): the oldest
/// messages make room. A message is held by reference (the broker's immutable message, no copy), so observing costs one
/// short lock and no allocation; only a payload larger than an eighth of the byte bound is kept as a copy of its
/// preview, so that one huge publish cannot take the ring (its full payload is then not available here).
/// </para>
/// Ids are the message's position since start: the cursor of the pages, and the key of GET /api/messages/{id}/payload.
/// </summary>
public sealed class RecentMessageLog : IPublishObserver, IMessageHistory
{
    private const int OverheadBytes = 200;

    private readonly Lock gate = new();
    private readonly Entry[] ring;
    private readonly long maxBytes;
    private readonly int previewBytes;
    private long nextId = 1;
    private int head; // index of the oldest entry
    private int count;
    private long bytes;

    public RecentMessageLog(IOptions<WebOptions> options, IOptions<WebHistoryOptions> history)
    {
        ring = new Entry[options.Value.Api.RecentMessagesCapacity];
        maxBytes = history.Value.RecentMessagesMaxBytes;
        previewBytes = history.Value.PayloadPreviewBytes;
    }

    public int Capacity => ring.Length;

    public long MaxBytes => maxBytes;

    public string Description => $"memory (last {ring.Length} messages, {maxBytes / (1024 * 1024)} MiB)";

    public bool IsDurable => false;

    /// <summary>How many messages are held now (at most <see cref="Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>Bytes the held messages count for now (at most <see cref="MaxBytes"/>).</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
    {
        if (message.Source == MessageSource.System)
        {
            return PublishReceipt.None;
        }

        var payloadBytes = message.Payload.Length;
        var kept = payloadBytes > maxBytes / 8 ? message with { Payload = message.Payload[..Math.Min(previewBytes, payloadBytes)].ToArray() } : message; // rare: a huge payload
        var size = SizeOf(kept);
        lock (gate)
        {
            while (count > 0 && (count == ring.Length || bytes + size > maxBytes))
            {
                bytes -= ring[head].Size;
                ring[head] = default;
                head = (head + 1) % ring.Length;
                count--;
            }

            ring[(head + count) % ring.Length] = new Entry(nextId++, kept, payloadBytes, size);
            count++;
            bytes += size;
        }

        return PublishReceipt.None;
    }

    /// <summary>
    /// Newest first: at most <paramref name="limit"/> messages whose topic matches <paramref name="topicFilter"/>
    /// (null: any) and that were received strictly after <paramref name="since"/> (null: any time).
    /// </summary>
    public IReadOnlyList<MqttApplicationMessage> Query(string? topicFilter, DateTimeOffset? since, int limit) =>
        [.. Select(new HistoryQuery { TopicFilter = topicFilter, From = since?.AddTicks(1), Limit = limit, PreviewBytes = int.MaxValue }).Entries.Select(e => e.Message)];

    public Task<HistoryPage> QueryAsync(HistoryQuery query, CancellationToken cancellationToken) => Task.FromResult(Select(query));

    public Task<MqttApplicationMessage?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                var entry = ring[(head + i) % ring.Length];
                if (entry.Id == id)
                {
                    return Task.FromResult(entry.Message.Payload.Length == entry.PayloadBytes ? entry.Message : null);
                }
            }
        }

        return Task.FromResult<MqttApplicationMessage?>(null);
    }

    public async IAsyncEnumerable<HistoryEntry> ExportAsync(HistoryQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = Select(query with { Limit = int.MaxValue, PreviewBytes = int.MaxValue }).Entries;
        for (var i = all.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return all[i];
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static long SizeOf(MqttApplicationMessage message) => message.Payload.Length + (message.Topic.Length * 2L) + OverheadBytes;

    private HistoryPage Select(HistoryQuery query)
    {
        Entry[] snapshot;
        lock (gate)
        {
            snapshot = new Entry[count];
            for (var i = 0; i < count; i++)
            {
                snapshot[i] = ring[(head + count - 1 - i) % ring.Length]; // newest first
            }
        }

        var result = new List<HistoryEntry>(Math.Min(query.Limit, snapshot.Length));
        foreach (var entry in snapshot)
        {
            var message = entry.Message;
            if ((query.Before is { } before && entry.Id >= before) || (query.After is { } after && entry.Id <= after)
                || (query.From is { } from && message.ReceivedAt < from) || (query.To is { } to && message.ReceivedAt > to)
                || (query.TopicFilter is { } filter && !MqttTopic.Matches(filter, message.Topic)))
            {
                continue;
            }

            if (result.Count == query.Limit)
            {
                return new HistoryPage(result, result[^1].Id);
            }

            var preview = message.Payload.Length > query.PreviewBytes ? message with { Payload = message.Payload[..query.PreviewBytes] } : message;
            result.Add(new HistoryEntry(entry.Id, preview, entry.PayloadBytes));
        }

        return new HistoryPage(result, null);
    }

    private readonly record struct Entry(long Id, MqttApplicationMessage Message, int PayloadBytes, long Size);
}

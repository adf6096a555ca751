using EmbeddedBroker.Contracts;

namespace EmbeddedBroker.Recorder.History;

/// <summary>
/// Which recorded messages to read, newest first: an MQTT topic filter ('$' topics only for filters that start with
/// '$', MQTT-4.7.2-1), a time range (both ends inclusive), a cursor (<see cref="Before"/>: only ids below it, the
/// <see cref="HistoryPage.NextCursor"/> of the page before) and a page size.
/// </summary>
public sealed record HistoryQuery
{
    public string? TopicFilter { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Only entries whose id is below this (paging newest first).</summary>
    public long? Before { get; init; }

    /// <summary>Only entries whose id is above this (what arrived since an earlier answer).</summary>
    public long? After { get; init; }

    public int Limit { get; init; } = 100;

    /// <summary>Largest payload prefix an entry carries; <see cref="HistoryEntry.PayloadBytes"/> is the full size.</summary>
    public int PreviewBytes { get; init; } = 4096;
}

/// <summary>
/// One recorded message: its id (the cursor, and the key of its full payload), the message as recorded, whose payload
/// is at most the preview asked for, and the size of the whole payload.
/// </summary>
public sealed record HistoryEntry(long Id, MqttApplicationMessage Message, int PayloadBytes)
{
    public bool IsPayloadCut => Message.Payload.Length < PayloadBytes;
}

/// <param name="NextCursor">Pass as <see cref="HistoryQuery.Before"/> for the next (older) page; null when there is none.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Entries, long? NextCursor);

/// <summary>The recorded messages: a database the recorder writes, or the web's in-memory ring.</summary>
public interface IMessageHistory
{
    /// <summary>Where the history is read from ("sqlite /srv/exports/mqtt_data.db", "memory (last 1000)").</summary>
    string Description { get; }

    /// <summary>True when it outlives a restart (a database).</summary>
    bool IsDurable { get; }

    Task<HistoryPage> QueryAsync(HistoryQuery query, CancellationToken cancellationToken);

    /// <summary>One message with its whole payload, or null when there is no such id (any more).</summary>
    Task<MqttApplicationMessage?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Every matching message with its whole payload, oldest first, one at a time (bounded memory); ignores the limit.</summary>
    IAsyncEnumerable<HistoryEntry> ExportAsync(HistoryQuery query, CancellationToken cancellationToken);
}

/// <summary>One delivery receipt: <paramref name="ClientId"/> acknowledged a message of <paramref name="Topic"/> (PUBACK / PUBCOMP).</summary>
public sealed record DeliveryEntry(long Id, DateTimeOffset AcknowledgedAt, string ClientId, string Topic, int Qos, string? PublisherClientId, DateTimeOffset MessageReceivedAt);

/// <summary>Which delivery receipts to read, newest first.</summary>
public sealed record DeliveryQuery
{
    /// <summary>Only the receipts of this consumer.</summary>
    public string? ClientId { get; init; }

    public string? TopicFilter { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public long? Before { get; init; }

    public int Limit { get; init; } = 100;
}

public sealed record DeliveryPage(IReadOnlyList<DeliveryEntry> Entries, long? NextCursor);

/// <summary>The recorded delivery receipts (Recorder:RecordDeliveries).</summary>
public interface IDeliveryHistory
{
    string Description { get; }

    Task<DeliveryPage> QueryAsync(DeliveryQuery query, CancellationToken cancellationToken);
}

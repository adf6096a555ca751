using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.History;

/// <summary>
/// The recorded messages read back from the SQLite or PostgreSQL output, newest first, on connections of its own (the
/// writer is never blocked: SQLite's WAL lets readers run beside it). Filters the database can apply go into the SQL
/// (<see cref="TopicRange"/>, the time range, the id cursor); a wildcard filter is finished here with
/// <see cref="MqttTopic.Matches"/> (<see cref="KeysetPages"/>: a bounded scan per page). Payloads come as a prefix of
/// the preview size.
/// </summary>
internal sealed class SqlMessageHistory(SqlDialect dialect) : IMessageHistory
{
    private const int Chunk = KeysetPages.Chunk;

    public string Description => dialect.Description;

    public bool IsDurable => true;

    public async Task<HistoryPage> QueryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return new HistoryPage([], null);
        }

        var range = TopicRange.For(query.TopicFilter);
        var (entries, next) = await KeysetPages.ReadAsync(connection, query.Before, query.Limit,
            (open, before, take) => Select(open, query, range, before, newestFirst: true, take, preview: true), ReadEntry, entry => entry.Id,
            range.NeedsMatch ? entry => MqttTopic.Matches(query.TopicFilter!, entry.Message.Topic) : null, cancellationToken).ConfigureAwait(false);
        return new HistoryPage(entries, next);
    }

    public async Task<MqttApplicationMessage?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns(preview: false)} FROM {dialect.Messages} WHERE id = @id";
        Add(command, "id", id);
        await using var reader = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return reader is not null && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader).Message : null;
    }

    public async IAsyncEnumerable<HistoryEntry> ExportAsync(HistoryQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            yield break;
        }

        var range = TopicRange.For(query.TopicFilter);
        var after = query.After;
        while (true)
        {
            // One short query per chunk, rows read one at a time: memory holds one message, and no read transaction
            // stays open for the whole export (which would keep SQLite from checkpointing its WAL).
            var rows = 0;
            await using (var command = Select(connection, query, range, after, newestFirst: false, Chunk, preview: false))
            {
                await using var reader = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
                while (reader is not null && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    var entry = ReadEntry(reader);
                    after = entry.Id;
                    if (!range.NeedsMatch || MqttTopic.Matches(query.TopicFilter!, entry.Message.Topic))
                    {
                        yield return entry;
                    }
                }
            }

            if (rows < Chunk)
            {
                yield break;
            }
        }
    }

    /// <summary>Null when the table does not exist yet (the recorder has not started writing).</summary>
    internal static async Task<DbDataReader?> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException error) when (IsMissingTable(error))
        {
            return null;
        }
    }

    internal static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static bool IsMissingTable(DbException error) =>
        error.SqlState == "42P01" || error.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase);

    private DbCommand Select(DbConnection connection, HistoryQuery query, TopicRange range, long? cursor, bool newestFirst, int take, bool preview)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns(preview)} FROM {dialect.Messages} WHERE 1 = 1");
        if (cursor is { } id)
        {
            sql.Append(newestFirst ? " AND id < @cursor" : " AND id > @cursor");
            Add(command, "cursor", id);
        }

        if (newestFirst && query.After is { } after)
        {
            sql.Append(" AND id > @after");
            Add(command, "after", after);
        }

        if (!newestFirst && query.Before is { } below)
        {
            sql.Append(" AND id < @below");
            Add(command, "below", below);
        }

        AppendTimeAndTopic(command, sql, dialect, query.From, query.To, range);
        sql.Append(newestFirst ? " ORDER BY id DESC" : " ORDER BY id").Append(" LIMIT @take");
        Add(command, "take", take);
        if (preview)
        {
            Add(command, "preview", query.PreviewBytes);
        }

        command.CommandText = sql.ToString();
        return command;
    }

    internal static void AppendTimeAndTopic(DbCommand command, StringBuilder sql, SqlDialect dialect, DateTimeOffset? from, DateTimeOffset? to, TopicRange range)
    {
        if (from is { } start)
        {
            sql.Append($" AND {dialect.Timestamp} >= @from");
            Add(command, "from", dialect.TimeValue(start));
        }

        if (to is { } end)
        {
            sql.Append($" AND {dialect.Timestamp} <= @to");
            Add(command, "to", dialect.TimeValue(end));
        }

        if (range.Exact is { } topic)
        {
            sql.Append(" AND topic = @topic");
            Add(command, "topic", topic);
        }

        if (range.Low is { } low)
        {
            sql.Append(" AND topic >= @low");
            Add(command, "low", low);
        }

        if (range.High is { } high)
        {
            sql.Append(" AND topic < @high");
            Add(command, "high", high);
        }
    }

    private string Columns(bool preview) =>
        $"id, {dialect.Timestamp}, topic, {(preview ? dialect.Prefix("payload") : "payload")}, {dialect.ByteLength("payload")}, qos, retain, client_id, source, "
        + "content_type, payload_format, response_topic, correlation_data, message_expiry, user_properties";

    private HistoryEntry ReadEntry(DbDataReader reader)
    {
        var payload = reader.GetFieldValue<byte[]>(3);
        var message = new MqttApplicationMessage
        {
            ReceivedAt = dialect.ReadTime(reader, 1),
            Topic = reader.GetString(2),
            Payload = payload,
            Qos = (MqttQualityOfService)Convert.ToInt32(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture),
            Retain = Convert.ToBoolean(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture),
            SourceClientId = reader.IsDBNull(7) ? null : reader.GetString(7),
            Source = Enum.TryParse<MessageSource>(reader.GetString(8), out var source) ? source : MessageSource.Client,
            Properties = RecordedProperties.Read(reader, 9),
        };
        return new HistoryEntry(reader.GetInt64(0), message, Convert.ToInt32(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture));
    }
}

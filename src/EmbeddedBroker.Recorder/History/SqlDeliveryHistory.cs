using System.Globalization;
using System.Text;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.History;

/// <summary>The delivery receipts read back from the SQLite or PostgreSQL output, newest first (see <see cref="SqlMessageHistory"/>).</summary>
internal sealed class SqlDeliveryHistory(SqlDialect dialect) : IDeliveryHistory
{
    private const int Chunk = 1000;

    public string Description => dialect.Description;

    public async Task<DeliveryPage> QueryAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return new DeliveryPage([], null);
        }

        var range = TopicRange.For(query.TopicFilter);
        var entries = new List<DeliveryEntry>();
        var before = query.Before;
        var scanned = 0;
        while (true)
        {
            var take = range.NeedsMatch ? Chunk : query.Limit + 1 - entries.Count; // one more than asked: is there a next page?
            var rows = 0;
            long? lastId = null;
            await using (var command = connection.CreateCommand())
            {
                var sql = new StringBuilder($"SELECT id, {dialect.Timestamp}, client_id, topic, qos, publisher_client_id, message_timestamp FROM {dialect.Deliveries} WHERE 1 = 1");
                if (before is { } cursor)
                {
                    sql.Append(" AND id < @cursor");
                    SqlMessageHistory.Add(command, "cursor", cursor);
                }

                if (query.ClientId is { } clientId)
                {
                    sql.Append(" AND client_id = @client");
                    SqlMessageHistory.Add(command, "client", clientId);
                }

                SqlMessageHistory.AppendTimeAndTopic(command, sql, dialect, query.From, query.To, range);
                sql.Append(" ORDER BY id DESC LIMIT @take");
                SqlMessageHistory.Add(command, "take", take);
                command.CommandText = sql.ToString();
                await using var reader = await SqlMessageHistory.ReadAsync(command, cancellationToken).ConfigureAwait(false);
                while (reader is not null && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    var entry = new DeliveryEntry(reader.GetInt64(0), dialect.ReadTime(reader, 1), reader.GetString(2), reader.GetString(3),
                        Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), reader.IsDBNull(5) ? null : reader.GetString(5), dialect.ReadTime(reader, 6));
                    lastId = entry.Id;
                    if (range.NeedsMatch && !MqttTopic.Matches(query.TopicFilter!, entry.Topic))
                    {
                        continue;
                    }

                    if (entries.Count == query.Limit)
                    {
                        return new DeliveryPage(entries, entries[^1].Id); // a further match exists: the next page starts after the last entry
                    }

                    entries.Add(entry);
                }
            }

            scanned += rows;
            if (rows < take)
            {
                return new DeliveryPage(entries, null);
            }

            before = lastId;
            if (scanned >= SqlMessageHistory.ScanBudget)
            {
                return new DeliveryPage(entries, lastId);
            }
        }
    }
}

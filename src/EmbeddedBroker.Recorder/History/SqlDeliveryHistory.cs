using System.Data.Common;
using System.Globalization;
using System.Text;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.History;

/// <summary>The delivery receipts read back from the SQLite or PostgreSQL output, newest first (see <see cref="SqlMessageHistory"/>).</summary>
internal sealed class SqlDeliveryHistory(SqlDialect dialect) : IDeliveryHistory
{
    public string Description => dialect.Description;

    public async Task<DeliveryPage> QueryAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return new DeliveryPage([], null);
        }

        var range = TopicRange.For(query.TopicFilter);
        var (entries, next) = await KeysetPages.ReadAsync(connection, query.Before, query.Limit,
            (open, before, take) => Select(open, query, range, before, take), Read, entry => entry.Id,
            range.NeedsMatch ? entry => MqttTopic.Matches(query.TopicFilter!, entry.Topic) : null, cancellationToken).ConfigureAwait(false);
        return new DeliveryPage(entries, next);
    }

    private DbCommand Select(DbConnection connection, DeliveryQuery query, TopicRange range, long? before, int take)
    {
        var command = connection.CreateCommand();
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
        return command;
    }

    private DeliveryEntry Read(DbDataReader reader) =>
        new(reader.GetInt64(0), dialect.ReadTime(reader, 1), reader.GetString(2), reader.GetString(3),
            Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), reader.IsDBNull(5) ? null : reader.GetString(5), dialect.ReadTime(reader, 6));
}

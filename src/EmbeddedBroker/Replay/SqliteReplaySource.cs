using System.Globalization;
using System.Runtime.CompilerServices;
using EmbeddedBroker.Protocol;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Replay;

/// <summary>The recorder's SQLite database (mqtt_data.db), its messages in recorded order, read while the recorder may write.</summary>
internal sealed class SqliteReplaySource(string path) : IReplaySource
{
    private long total;
    private long read;

    public double Progress => total == 0 ? 1 : Math.Min(1, (double)read / total);

    public async IAsyncEnumerable<ReplayRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        SqliteDataReader reader;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var count = connection.CreateCommand())
            {
                count.CommandText = "SELECT count(*) FROM messages";
                total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var select = connection.CreateCommand();
            select.CommandText = "SELECT timestamp, topic, payload, qos, retain FROM messages ORDER BY id";
            reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException error)
        {
            throw new ReplaySourceException($"{path}: not a recorder database ({error.Message}).", error);
        }

        await using (reader)
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read++;
                var at = DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                yield return new ReplayRecord(at, reader.GetString(1), reader.GetFieldValue<byte[]>(2), (MqttQualityOfService)reader.GetInt32(3), reader.GetInt64(4) != 0);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

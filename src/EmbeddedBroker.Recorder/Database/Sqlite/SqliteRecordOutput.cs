using EmbeddedBroker.Contracts;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EmbeddedBroker.Recorder.Database.Sqlite;

/// <summary>
/// The <c>sqlite</c> output: <c>mqtt_data.db</c> beside the CSV/JSON files (<see cref="SqliteSchema"/>), written by the
/// recorder's writer only, one transaction per commit. In WAL mode a committed transaction survives a crash or kill -9
/// of the process (there is no fsync per commit, as for the files), and the history API reads the database on its own
/// connections at the same time without blocking the writer.
/// </summary>
internal sealed class SqliteRecordOutput(string path) : DatabaseRecordOutput
{
    private static readonly byte[][] SourceNames = [.. Enum.GetNames<MessageSource>().Select(System.Text.Encoding.UTF8.GetBytes)];

    private readonly Pipeline.Utf8Timestamp timestamp = new();
    private readonly Pipeline.Utf8Timestamp secondTimestamp = new();
    private SqliteConnection? connection;
    private RawStatement? insertMessage;
    private RawStatement? insertDelivery;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public override string Name => Path;

    protected override bool IsConnected => connection is not null;

    public static string ConnectionString(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = readOnly, // the writer keeps its one connection; readers (the API) reuse theirs
    }.ToString();

    public override int DeleteOlderThan(DateTimeOffset cutoff, int maxRows)
    {
        var before = Pipeline.Utf8Timestamp.ToText(cutoff);
        return Delete($"DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE timestamp < $before ORDER BY id LIMIT {maxRows})", before)
            + Delete($"DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE timestamp < $before ORDER BY id LIMIT {maxRows})", before);
    }

    public override long? UsedBytes()
    {
        var pages = Scalar("PRAGMA page_count") - Scalar("PRAGMA freelist_count");
        return pages * Scalar("PRAGMA page_size");
    }

    public override int DeleteOldest(int rows)
    {
        var deleted = Delete($"DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT {rows})", null);
        Delete("DELETE FROM deliveries WHERE message_timestamp < (SELECT min(timestamp) FROM messages)", null);
        return deleted;
    }

    protected override void Connect()
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var opened = new SqliteConnection(ConnectionString(Path, readOnly: false));
        try
        {
            opened.Open();
            SqliteSchema.Prepare(opened);
            insertMessage = new RawStatement(opened, SqliteSchema.InsertMessage);
            insertDelivery = new RawStatement(opened, SqliteSchema.InsertDelivery);
            connection = opened;
        }
        catch
        {
            insertMessage?.Dispose();
            insertDelivery?.Dispose();
            opened.Dispose();
            throw;
        }
    }

    protected override void Disconnect()
    {
        insertMessage?.Dispose();
        insertDelivery?.Dispose();
        insertMessage = null;
        insertDelivery = null;
        connection?.Dispose();
        connection = null;
    }

    protected override void WriteInOneTransaction(RowBatch batch)
    {
        var database = connection!.Handle!;
        Exec(database, "BEGIN IMMEDIATE");
        try
        {
            var reader = new RowReader(batch.Rows);
            for (var kind = reader.Next(); kind != 0; kind = reader.Next())
            {
                if (kind == RowBatch.MessageKind)
                {
                    Insert(reader.ReadMessage());
                }
                else
                {
                    Insert(reader.ReadDelivery());
                }
            }

            Exec(database, "COMMIT");
        }
        catch
        {
            raw.sqlite3_exec(database, "ROLLBACK"); // a failed COMMIT may have rolled back already: ignore the answer
            throw;
        }
    }

    private static void Exec(sqlite3 database, string sql) => SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(database, sql), database);

    private void Insert(in MessageRow row)
    {
        var insert = insertMessage!;
        insert.Text(1, timestamp.Of(row.ReceivedAtTicks));
        insert.Text(2, row.Topic.Bytes.Span);
        insert.Blob(3, row.Payload.Bytes.Span);
        insert.Integer(4, row.Qos);
        insert.Integer(5, row.Retain ? 1 : 0);
        insert.TextOrNull(6, row.ClientId);
        insert.Text(7, SourceName(row.Source));
        insert.TextOrNull(8, row.ContentType);
        insert.IntegerOrNull(9, row.PayloadFormat);
        insert.TextOrNull(10, row.ResponseTopic);
        insert.BlobOrNull(11, row.CorrelationData);
        insert.IntegerOrNull(12, row.MessageExpiry);
        insert.TextOrNull(13, row.UserProperties);
        insert.Execute();
    }

    private void Insert(in DeliveryRow row)
    {
        var insert = insertDelivery!;
        insert.Text(1, timestamp.Of(row.AcknowledgedAtTicks));
        insert.Text(2, row.Consumer.Bytes.Span);
        insert.Text(3, row.Topic.Bytes.Span);
        insert.Integer(4, row.Qos);
        insert.TextOrNull(5, row.Publisher);
        insert.Text(6, secondTimestamp.Of(row.MessageReceivedAtTicks));
        insert.Execute();
    }

    private static ReadOnlySpan<byte> SourceName(byte source) => source < SourceNames.Length ? SourceNames[source] : "Client"u8;

    private int Delete(string sql, string? before)
    {
        using var command = connection!.CreateCommand();
        command.CommandText = sql;
        if (before is not null)
        {
            command.Parameters.AddWithValue("$before", before);
        }

        return command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = connection!.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

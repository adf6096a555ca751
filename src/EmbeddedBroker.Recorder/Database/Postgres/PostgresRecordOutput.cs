using System.Security.Cryptography;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Options;
using Npgsql;
using NpgsqlTypes;

namespace EmbeddedBroker.Recorder.Database.Postgres;

/// <summary>
/// The <c>postgres</c> output: each commit is one transaction holding a binary COPY of the messages, one of the
/// delivery receipts, and the batch's row in <c>{table}_commits</c>. When a commit's outcome is unknown (the connection
/// dropped during COMMIT) the retry first looks for that row: found, the batch is in the table already and is not
/// written twice. The connection is opened on the recorder's writer, never on the broker's threads; a server that is
/// down fails the commit, which the writer retries with back-off like a full disk.
/// </summary>
internal sealed class PostgresRecordOutput : DatabaseRecordOutput
{
    private const int BatchesBetweenCommitCleanups = 3600;
    private static readonly string[] SourceNames = Enum.GetNames<MessageSource>();

    private readonly NpgsqlDataSource dataSource;
    private readonly string messages;
    private readonly string deliveries;
    private readonly string commits;
    private NpgsqlConnection? connection;
    private bool schemaReady;
    private long nextBatchId = RandomNumberGenerator.GetInt32(1, int.MaxValue) * (1L << 31);
    private long batchId;
    private bool attempted;
    private int batchesSinceCleanup;

    public PostgresRecordOutput(PostgresRecorderOptions options)
    {
        messages = options.Table;
        deliveries = options.DeliveriesTable;
        commits = PostgresSchema.CommitsTable(messages);
        dataSource = PostgresConnection.CreateDataSource(options.ConnectionString);
        Name = PostgresConnection.Describe(options.ConnectionString, messages);
    }

    public override string Name { get; }

    protected override bool IsConnected => connection is not null;

    public override int DeleteOlderThan(DateTimeOffset cutoff, int maxRows) =>
        Execute($"DELETE FROM {messages} WHERE id IN (SELECT id FROM {messages} WHERE \"timestamp\" < @cutoff ORDER BY id LIMIT {maxRows})", cutoff)
        + Execute($"DELETE FROM {deliveries} WHERE id IN (SELECT id FROM {deliveries} WHERE \"timestamp\" < @cutoff ORDER BY id LIMIT {maxRows})", cutoff);

    /// <summary>Not cheaply known: PostgreSQL keeps the space of deleted rows until VACUUM, so only RetentionDays applies.</summary>
    public override long? UsedBytes() => null;

    public override int DeleteOldest(int rows) => 0;

    protected override void Connect()
    {
        var opened = dataSource.OpenConnection();
        try
        {
            if (!schemaReady)
            {
                PostgresSchema.Create(opened, messages, deliveries);
                schemaReady = true;
            }

            connection = opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    protected override void Disconnect()
    {
        var closing = connection;
        connection = null;
        try
        {
            closing?.Dispose();
        }
        catch (NpgsqlException)
        {
            // A broken connection may fail to close cleanly; it is gone either way.
        }

        dataSource.Clear(); // idle pooled connections may be as broken as the one that failed
    }

    protected override void ReleaseResources() => dataSource.Dispose();

    protected override void WriteInOneTransaction(RowBatch batch)
    {
        if (batchId == 0)
        {
            batchId = ++nextBatchId;
            attempted = false;
        }

        var open = connection!;
        using var transaction = open.BeginTransaction();
        if (attempted && AlreadyCommitted(open, transaction))
        {
            ReleaseBatchId();
            return;
        }

        attempted = true;
        if (batch.Messages > 0)
        {
            CopyMessages(open, batch);
        }

        if (batch.Deliveries > 0)
        {
            CopyDeliveries(open, batch);
        }

        using (var mark = new NpgsqlCommand($"INSERT INTO {commits} (batch_id) VALUES (@id)", open, transaction))
        {
            mark.Parameters.AddWithValue("id", batchId);
            mark.ExecuteNonQuery();
        }

        if (++batchesSinceCleanup >= BatchesBetweenCommitCleanups)
        {
            PostgresSchema.Execute(open, $"DELETE FROM {commits} WHERE committed_at < now() - interval '1 day'", transaction);
            batchesSinceCleanup = 0;
        }

        transaction.Commit();
        ReleaseBatchId();
    }

    private static string? Clean(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text; // text columns cannot hold U+0000

    private static void WriteText(NpgsqlBinaryImporter importer, RowField field, NpgsqlDbType type = NpgsqlDbType.Text)
    {
        if (field.IsNull)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(Clean(field.Text)!, type);
        }
    }

    private static void WriteBytes(NpgsqlBinaryImporter importer, RowField field)
    {
        if (field.IsNull)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(field.Bytes, NpgsqlDbType.Bytea);
        }
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    private void ReleaseBatchId()
    {
        batchId = 0;
        attempted = false;
    }

    private bool AlreadyCommitted(NpgsqlConnection open, NpgsqlTransaction transaction)
    {
        using var check = new NpgsqlCommand($"SELECT count(*) FROM {commits} WHERE batch_id = @id", open, transaction);
        check.Parameters.AddWithValue("id", batchId);
        return Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private void CopyMessages(NpgsqlConnection open, RowBatch batch)
    {
        using var importer = open.BeginBinaryImport($"COPY {messages} ({PostgresSchema.MessageColumns}) FROM STDIN (FORMAT BINARY)");
        var reader = new RowReader(batch.Rows);
        for (var kind = reader.Next(); kind != 0; kind = reader.Next())
        {
            if (kind != RowBatch.MessageKind)
            {
                reader.ReadDelivery();
                continue;
            }

            var row = reader.ReadMessage();
            importer.StartRow();
            importer.Write(Utc(row.ReceivedAtTicks), NpgsqlDbType.TimestampTz);
            WriteText(importer, row.Topic);
            WriteBytes(importer, row.Payload);
            importer.Write((short)row.Qos, NpgsqlDbType.Smallint);
            importer.Write(row.Retain, NpgsqlDbType.Boolean);
            WriteText(importer, row.ClientId);
            importer.Write(row.Source < SourceNames.Length ? SourceNames[row.Source] : "Client", NpgsqlDbType.Text);
            WriteText(importer, row.ContentType);
            WriteNumber(importer, row.PayloadFormat, NpgsqlDbType.Smallint);
            WriteText(importer, row.ResponseTopic);
            WriteBytes(importer, row.CorrelationData);
            WriteNumber(importer, row.MessageExpiry, NpgsqlDbType.Bigint);
            WriteText(importer, row.UserProperties, NpgsqlDbType.Jsonb);
        }

        importer.Complete();
    }

    private void CopyDeliveries(NpgsqlConnection open, RowBatch batch)
    {
        using var importer = open.BeginBinaryImport($"COPY {deliveries} ({PostgresSchema.DeliveryColumns}) FROM STDIN (FORMAT BINARY)");
        var reader = new RowReader(batch.Rows);
        for (var kind = reader.Next(); kind != 0; kind = reader.Next())
        {
            if (kind != RowBatch.DeliveryKind)
            {
                reader.ReadMessage();
                continue;
            }

            var row = reader.ReadDelivery();
            importer.StartRow();
            importer.Write(Utc(row.AcknowledgedAtTicks), NpgsqlDbType.TimestampTz);
            WriteText(importer, row.Consumer);
            WriteText(importer, row.Topic);
            importer.Write((short)row.Qos, NpgsqlDbType.Smallint);
            WriteText(importer, row.Publisher);
            importer.Write(Utc(row.MessageReceivedAtTicks), NpgsqlDbType.TimestampTz);
        }

        importer.Complete();
    }

    private static void WriteNumber(NpgsqlBinaryImporter importer, long value, NpgsqlDbType type)
    {
        if (value < 0)
        {
            importer.WriteNull();
        }
        else if (type == NpgsqlDbType.Smallint)
        {
            importer.Write((short)value, type);
        }
        else
        {
            importer.Write(value, type);
        }
    }

    private int Execute(string sql, DateTimeOffset cutoff)
    {
        using var command = new NpgsqlCommand(sql, connection!);
        command.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
        return command.ExecuteNonQuery();
    }
}

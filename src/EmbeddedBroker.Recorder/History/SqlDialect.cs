using System.Data.Common;
using System.Globalization;
using EmbeddedBroker.Recorder.Database.Postgres;
using EmbeddedBroker.Recorder.Database.Sqlite;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EmbeddedBroker.Recorder.History;

/// <summary>What differs between reading the SQLite and the PostgreSQL history: connections, names, time values, byte functions.</summary>
internal abstract class SqlDialect
{
    public abstract string Description { get; }

    public abstract string Messages { get; }

    public abstract string Deliveries { get; }

    /// <summary>The quoted name of the timestamp column.</summary>
    public abstract string Timestamp { get; }

    /// <summary>A connection to read with, or null when the database does not exist yet (nothing recorded).</summary>
    public abstract Task<DbConnection?> OpenAsync(CancellationToken cancellationToken);

    /// <summary>SQL for the first @preview bytes of a BLOB / bytea column.</summary>
    public abstract string Prefix(string column);

    /// <summary>SQL for the byte length of a BLOB / bytea column.</summary>
    public abstract string ByteLength(string column);

    public abstract object TimeValue(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);
}

internal sealed class SqliteDialect(string path) : SqlDialect
{
    public override string Description => "sqlite " + path;

    public override string Messages => SqliteSchema.Messages;

    public override string Deliveries => SqliteSchema.Deliveries;

    public override string Timestamp => "timestamp";

    public override async Task<DbConnection?> OpenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(SqliteRecordOutput.ConnectionString(path, readOnly: true));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override string Prefix(string column) => $"substr({column}, 1, @preview)";

    public override string ByteLength(string column) => $"length({column})";

    /// <summary>The recorder's ISO 8601 text, which sorts as it reads.</summary>
    public override object TimeValue(DateTimeOffset time) => Utf8Timestamp.ToText(time);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), Utf8Timestamp.Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

internal sealed class PostgresDialect(PostgresRecorderOptions options) : SqlDialect, IDisposable
{
    private readonly NpgsqlDataSource dataSource = PostgresConnection.CreateDataSource(options.ConnectionString);

    public override string Description => PostgresConnection.Describe(options.ConnectionString, options.Table);

    public override string Messages => options.Table;

    public override string Deliveries => options.DeliveriesTable;

    public override string Timestamp => "\"timestamp\"";

    public override async Task<DbConnection?> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override string Prefix(string column) => $"substring({column} from 1 for @preview)";

    public override string ByteLength(string column) => $"octet_length({column})";

    public override object TimeValue(DateTimeOffset time) => time.UtcDateTime;

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public void Dispose() => dataSource.Dispose();
}

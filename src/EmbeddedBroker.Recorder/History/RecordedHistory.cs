using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Outputs;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder.History;

/// <summary>
/// The history the recorder keeps in a database, for the HTTP API: null <see cref="Messages"/> when Recorder:Format
/// has no database (the API then serves its in-memory ring). With both databases, SQLite is read: it is on this
/// machine and holds the same rows.
/// </summary>
public sealed class RecordedHistory : IDisposable
{
    private readonly PostgresDialect? postgres;

    public RecordedHistory(IOptions<RecorderOptions> options)
    {
        var recorder = options.Value;
        if (!recorder.Enabled || !RecordFormatParser.TryParse(recorder.Format, out var formats))
        {
            return;
        }

        SqlDialect? dialect = null;
        if (formats.HasFlag(RecordFormats.Sqlite))
        {
            dialect = new SqliteDialect(OutputFactory.SqlitePath(recorder));
        }
        else if (formats.HasFlag(RecordFormats.Postgres))
        {
            dialect = postgres = new PostgresDialect(recorder.Postgres ?? new PostgresRecorderOptions());
        }

        if (dialect is not null)
        {
            Messages = new SqlMessageHistory(dialect);
            Deliveries = recorder.RecordDeliveries ? new SqlDeliveryHistory(dialect) : null;
        }
    }

    /// <summary>The recorded messages, or null when no database is recorded.</summary>
    public IMessageHistory? Messages { get; }

    /// <summary>The recorded delivery receipts, or null when none are recorded in a database.</summary>
    public IDeliveryHistory? Deliveries { get; }

    public void Dispose() => postgres?.Dispose();
}

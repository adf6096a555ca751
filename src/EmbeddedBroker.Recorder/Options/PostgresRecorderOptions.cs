namespace EmbeddedBroker.Recorder.Options;

/// <summary>Section "Recorder:Postgres": where the <c>postgres</c> format writes.</summary>
public sealed class PostgresRecorderOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Database=mqtt;Username=recorder;Password=...</c>. Also from the
    /// environment as <c>Recorder__Postgres__ConnectionString</c>; whatever it leaves out comes from libpq's variables
    /// (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), which Npgsql reads.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Table of the messages, created when missing (a TimescaleDB hypertable when that extension is installed).</summary>
    public string Table { get; set; } = "mqtt_messages";

    /// <summary>Table of the delivery receipts (Recorder:RecordDeliveries).</summary>
    public string DeliveriesTable { get; set; } = "mqtt_deliveries";
}

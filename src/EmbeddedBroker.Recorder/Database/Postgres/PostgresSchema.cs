using Npgsql;

namespace EmbeddedBroker.Recorder.Database.Postgres;

/// <summary>
/// The PostgreSQL tables, created when missing: the messages (the fields of the CSV/JSON files, with a native
/// <c>timestamptz</c>, the payload as exact <c>bytea</c>, MQTT 5 properties, user properties as <c>jsonb</c>), the
/// delivery receipts, and <c>{table}_commits</c>, one row per committed batch, which makes a retried commit whose
/// outcome was unknown (the connection dropped during COMMIT) write its rows once. With the TimescaleDB extension
/// installed in the database, the messages table becomes a hypertable on its timestamp. New columns are added with
/// ADD COLUMN IF NOT EXISTS, so an older table is upgraded in place. Topics use the "C" collation: prefix ranges then
/// follow byte order, as in SQLite, and use the index.
/// </summary>
internal static class PostgresSchema
{
    public const string MessageColumns =
        "\"timestamp\", topic, payload, qos, retain, client_id, source, content_type, payload_format, response_topic, correlation_data, message_expiry, user_properties";

    public const string DeliveryColumns = "\"timestamp\", client_id, topic, qos, publisher_client_id, message_timestamp";

    public static string CommitsTable(string messages) => messages + "_commits";

    public static void Create(NpgsqlConnection connection, string messages, string deliveries)
    {
        var name = PostgresNames.Unqualified(messages);
        var deliveriesName = PostgresNames.Unqualified(deliveries);
        Execute(connection, $"""
            CREATE TABLE IF NOT EXISTS {messages} (
                id bigint GENERATED ALWAYS AS IDENTITY,
                "timestamp" timestamptz NOT NULL,
                topic text COLLATE "C" NOT NULL,
                payload bytea NOT NULL,
                qos smallint NOT NULL,
                retain boolean NOT NULL,
                client_id text,
                source text NOT NULL
            );
            ALTER TABLE {messages}
                ADD COLUMN IF NOT EXISTS content_type text,
                ADD COLUMN IF NOT EXISTS payload_format smallint,
                ADD COLUMN IF NOT EXISTS response_topic text,
                ADD COLUMN IF NOT EXISTS correlation_data bytea,
                ADD COLUMN IF NOT EXISTS message_expiry bigint,
                ADD COLUMN IF NOT EXISTS user_properties jsonb;
            CREATE INDEX IF NOT EXISTS {name}_id ON {messages} (id);
            CREATE INDEX IF NOT EXISTS {name}_timestamp ON {messages} ("timestamp");
            CREATE INDEX IF NOT EXISTS {name}_topic ON {messages} (topic, id);
            CREATE TABLE IF NOT EXISTS {deliveries} (
                id bigint GENERATED ALWAYS AS IDENTITY,
                "timestamp" timestamptz NOT NULL,
                client_id text NOT NULL,
                topic text COLLATE "C" NOT NULL,
                qos smallint NOT NULL,
                publisher_client_id text,
                message_timestamp timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS {deliveriesName}_id ON {deliveries} (id);
            CREATE INDEX IF NOT EXISTS {deliveriesName}_timestamp ON {deliveries} ("timestamp");
            CREATE INDEX IF NOT EXISTS {deliveriesName}_client ON {deliveries} (client_id, id);
            CREATE TABLE IF NOT EXISTS {CommitsTable(messages)} (
                batch_id bigint PRIMARY KEY,
                committed_at timestamptz NOT NULL DEFAULT now()
            );
            """);
        using var timescale = new NpgsqlCommand("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'", connection);
        if (Convert.ToInt64(timescale.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            Execute(connection, $"SELECT create_hypertable('{messages}', 'timestamp', if_not_exists => TRUE, migrate_data => TRUE)");
        }
    }

    public static void Execute(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}

using Npgsql;

namespace EmbeddedBroker.Recorder.Database.Postgres;

/// <summary>
/// The connection string the recorder uses: Recorder:Postgres:ConnectionString, with what it leaves out taken from
/// libpq's environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), as psql does; so a container can
/// be pointed at its database with the variables alone.
/// </summary>
internal static class PostgresConnection
{
    public static NpgsqlConnectionStringBuilder Resolve(string? connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString ?? "");
        builder.Host ??= Environment.GetEnvironmentVariable("PGHOST") ?? "localhost";
        if (!builder.ContainsKey("Port") || builder.Port == NpgsqlConnection.DefaultPort)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable("PGPORT"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                builder.Port = port;
            }
        }

        builder.Username ??= Environment.GetEnvironmentVariable("PGUSER");
        builder.Password ??= Environment.GetEnvironmentVariable("PGPASSWORD");
        builder.Database ??= Environment.GetEnvironmentVariable("PGDATABASE");
        return builder;
    }

    /// <summary>"postgres://host:port/database table", never the password.</summary>
    public static string Describe(string? connectionString, string table)
    {
        var builder = Resolve(connectionString);
        return $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} {table}";
    }

    public static NpgsqlDataSource CreateDataSource(string? connectionString) => NpgsqlDataSource.Create(Resolve(connectionString));
}

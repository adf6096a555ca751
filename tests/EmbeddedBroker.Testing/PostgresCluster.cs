using System.Globalization;

namespace EmbeddedBroker.Testing;

/// <summary>
/// A throw-away PostgreSQL server from Debian's <c>postgresql</c> package: a new cluster in a temporary folder
/// (<c>initdb</c>), started on a free 127.0.0.1 port (<c>pg_ctl</c>), trust authentication for the user
/// <see cref="User"/>, fsync off. PostgreSQL refuses to run as root, so as root the cluster belongs to the
/// <c>postgres</c> user the package creates. Disposing stops it (immediate) and deletes the folder.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string User = "eb";
    public const string Database = "postgres";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder folder = new("eb-postgres-");
    private readonly string bin;
    private bool running;

    private PostgresCluster(string bin, int port)
    {
        this.bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string DataFolder => folder.Combine("data");

    /// <summary>An Npgsql connection string to the cluster.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={User};Database={Database};Timeout=5;Command Timeout=30";

    /// <summary>Where initdb and pg_ctl are: the newest /usr/lib/postgresql/N/bin.</summary>
    public static string? BinFolder =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = BinFolder;
        if (bin is null || !File.Exists("/usr/bin/psql"))
        {
            Assert.Fail("PostgreSQL is missing: install the Debian package 'postgresql' (scripts/test.sh does this).");
        }

        var cluster = new PostgresCluster(bin!, FreePort.Next());
        try
        {
            await cluster.InitializeAsync();
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="sql"/> with psql (unaligned, tuples only, fields separated by <paramref name="separator"/>); returns its output.</summary>
    public async Task<string> PsqlAsync(string sql, string separator = "|")
    {
        var (code, output, error) = await ExternalProcess.RunAsync(CommandTimeout, "/usr/bin/psql",
            "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", Database,
            "-X", "-q", "-A", "-t", "-F", separator, "-v", "ON_ERROR_STOP=1", "-c", sql);
        Assert.That(code, Is.Zero, $"psql failed: {error}");
        return output;
    }

    /// <summary>Stops the server (fast shutdown: connections are closed), keeping the data.</summary>
    public async Task StopAsync()
    {
        if (running)
        {
            running = false;
            await RunAsync(Path.Combine(bin, "pg_ctl"), "-D", DataFolder, "-m", "fast", "-w", "stop");
        }
    }

    /// <summary>Starts it again on the same port.</summary>
    public Task StartAgainAsync() => StartServerAsync();

    public void Dispose()
    {
        if (running)
        {
            try
            {
                RunAsync(Path.Combine(bin, "pg_ctl"), "-D", DataFolder, "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
            }
            catch (AssertionException)
            {
                // Best effort: the folder goes anyway.
            }
        }

        folder.Dispose();
    }

    private static bool IsRoot => Environment.UserName == "root";

    private async Task InitializeAsync()
    {
        if (IsRoot)
        {
            await ExternalProcess.RunAsync(CommandTimeout, "/bin/chown", "postgres:postgres", folder.Path);
        }

        await RunAsync(Path.Combine(bin, "initdb"), "-D", DataFolder, "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
    }

    private async Task StartServerAsync()
    {
        var options = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -k {folder.Path} -c fsync=off -c full_page_writes=off";
        await RunAsync(Path.Combine(bin, "pg_ctl"), "-D", DataFolder, "-o", options, "-l", folder.Combine("server.log"), "-w", "-t", "60", "start");
        running = true;
    }

    /// <summary>Runs a PostgreSQL program, as the postgres user when the tests run as root; fails the test with its output otherwise.</summary>
    private async Task RunAsync(string program, params string[] arguments)
    {
        var (code, output, error) = IsRoot
            ? await ExternalProcess.RunAsync(CommandTimeout, "/usr/sbin/runuser", ["-u", "postgres", "--", program, .. arguments])
            : await ExternalProcess.RunAsync(CommandTimeout, program, arguments);
        if (code != 0)
        {
            var log = File.Exists(folder.Combine("server.log")) ? File.ReadAllText(folder.Combine("server.log")) : "";
            Assert.Fail($"{Path.GetFileName(program)} failed ({code}): {output} {error} {log}");
        }
    }
}

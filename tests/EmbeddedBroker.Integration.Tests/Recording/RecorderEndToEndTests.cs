using System.Text;

namespace EmbeddedBroker.Integration.Tests.Recording;

/// <summary>
/// The recorder's promise, end to end with the real executable: what mosquitto_pub sends is in the CSV and the JSON,
/// byte-exact, as read by Python's own csv and json modules; SIGTERM drains everything; kill -9 leaves parseable files.
/// </summary>
[TestFixture]
[CancelAfter(300_000)]
public sealed class RecorderEndToEndTests : TempFolderFixture
{
    private RecorderOutput Output => RecorderOutput.In(Temp);

    [TestCase("both", TestName = "Ten_thousand_mosquitto_pub_messages_are_all_recorded_byte_exact_after_SIGTERM")]
    [TestCase("csv,json,sqlite", TestName = "Ten_thousand_mosquitto_pub_messages_are_all_recorded_byte_exact_in_sqlite_read_by_python_after_SIGTERM")]
    public async Task Ten_thousand_mosquitto_pub_messages_are_recorded_byte_exact(string format)
    {
        List<RecordedMessage> expected;
        using (var app = await AppProcess.StartAsync(Output, "--format", format))
        {
            expected = await PublishTenThousandTrickyAsync(app);
            Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(20)), Is.Zero, app.Process.StandardError);
        }

        Assert.That(expected, Has.Count.EqualTo(10_000));
        var recorded = await RecordedFiles.ReadWithPythonAsync(Output);
        Assert.That(recorded.Csv.Select(r => r.Message), Is.EqualTo(expected), "CSV, read by Python's csv module");
        Assert.That(recorded.Json.Select(r => r.Message), Is.EqualTo(expected), "JSON, read by Python's json module");
        if (format.Contains("sqlite", StringComparison.Ordinal))
        {
            Assert.That(await DatabaseReaders.ReadSqliteWithPythonAsync(Output.BasePath + ".db"), Is.EqualTo(expected), "SQLite, read by Python's sqlite3 module");
        }
    }

    [Test]
    public async Task Ten_thousand_mosquitto_pub_messages_are_recorded_byte_exact_in_postgresql_read_by_psql_after_SIGTERM()
    {
        using var cluster = await PostgresCluster.StartAsync();
        List<RecordedMessage> expected;
        using (var app = await AppProcess.StartAsync(Output, "--format", "postgres", "--Recorder:Postgres:ConnectionString", cluster.ConnectionString))
        {
            expected = await PublishTenThousandTrickyAsync(app);
            Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(20)), Is.Zero, app.Process.StandardError);
        }

        Assert.That(await DatabaseReaders.ReadPostgresWithPsqlAsync(cluster), Is.EqualTo(expected), "PostgreSQL, read by psql");
    }

    [Test]
    public async Task After_kill_9_sqlite_and_postgresql_lose_at_most_the_last_flush_interval_and_a_restart_appends()
    {
        using var cluster = await PostgresCluster.StartAsync();
        string[] arguments = ["--Recorder:FlushIntervalMs", "500", "--format", "csv,sqlite,postgres", "--Recorder:Postgres:ConnectionString", cluster.ConnectionString];
        List<string> beforeFlush = Enumerable.Range(1, 500).Select(i => $"a{i}").ToList();
        List<string> atKill = Enumerable.Range(1, 500).Select(i => $"b{i}").ToList();
        using (var app = await AppProcess.StartAsync(Output, arguments))
        {
            await PublishAllAsync(app, beforeFlush);
            await Task.Delay(1500); // three flush intervals: everything so far is committed

            await PublishAllAsync(app, atKill);
            app.Process.Kill(); // SIGKILL: no drain
        }

        var sqliteAfterKill = Payloads(await DatabaseReaders.ReadSqliteWithPythonAsync(Output.BasePath + ".db"));
        var postgresAfterKill = Payloads(await DatabaseReaders.ReadPostgresWithPsqlAsync(cluster));
        foreach (var (name, payloads) in new[] { ("sqlite", sqliteAfterKill), ("postgres", postgresAfterKill) })
        {
            Assert.That(payloads.Take(beforeFlush.Count), Is.EqualTo(beforeFlush), $"{name}: everything committed before the last interval survives");
            Assert.That(payloads.Skip(beforeFlush.Count), Is.EqualTo(atKill.Take(payloads.Count - beforeFlush.Count)), $"{name}: then a prefix of the last interval, never a gap");
        }

        using (var app = await AppProcess.StartAsync(Output, arguments))
        {
            await PublishAllAsync(app, ["c1", "c2", "c3"]);
            Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(20)), Is.Zero);
        }

        Assert.That(Payloads(await DatabaseReaders.ReadSqliteWithPythonAsync(Output.BasePath + ".db")), Is.EqualTo(sqliteAfterKill.Concat(["c1", "c2", "c3"])), "sqlite: the restart appended");
        Assert.That(Payloads(await DatabaseReaders.ReadPostgresWithPsqlAsync(cluster)), Is.EqualTo(postgresAfterKill.Concat(["c1", "c2", "c3"])), "postgres: the restart appended");
    }

    /// <summary>
    /// 6 batches (QoS 0/1/2 x retained or not) of text lines with commas, quotes, emoji, formula-like starts and tabs,
    /// each batch over one connection (mosquitto_pub -l publishes a message per line), then 100 whole-stdin messages
    /// (-s) that -l cannot carry: binary bytes, CR/LF inside, NUL, invalid UTF-8. Returns what was published.
    /// </summary>
    private static async Task<List<RecordedMessage>> PublishTenThousandTrickyAsync(AppProcess app)
    {
        var expected = new List<RecordedMessage>();
        foreach (var qos in new[] { 0, 1, 2 })
        {
            foreach (var retain in new[] { false, true })
            {
                var topic = $"sensors/q{qos}/{(retain ? "retained" : "live")}";
                var clientId = $"pub-{qos}-{retain}";
                var lines = Enumerable.Range(1, 1650).Select(i => TrickyLine(qos, retain, i)).ToList();
                var publish = PublishLines(app, topic, clientId, qos, retain, lines);
                Assert.That(await publish.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, publish.StandardError);
                publish.Dispose();
                expected.AddRange(lines.Select(l => new RecordedMessage(topic, Convert.ToBase64String(Encoding.UTF8.GetBytes(l)), qos, retain, clientId)));
            }
        }

        var random = new Random(1883);
        for (var i = 0; i < 100; i++)
        {
            var payload = new byte[1 + random.Next(300)];
            random.NextBytes(payload);
            if (i % 2 == 0)
            {
                payload = Encoding.UTF8.GetBytes($"line one,\r\nline \"two\"\n{i} 🌡️\0end");
            }

            var topic = $"sensors/binary/{i}";
            var qos = i % 3;
            using var publish = MosquittoClients.StartPublisher(app.Port, payload,
                "-i", "binary-pub", "-t", topic, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s");
            Assert.That(await publish.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero, publish.StandardError);
            expected.Add(new RecordedMessage(topic, Convert.ToBase64String(payload), qos, false, "binary-pub"));
        }

        return expected;
    }

    [Test]
    public async Task After_kill_9_the_files_parse_lose_at_most_the_last_flush_interval_and_a_restart_appends()
    {
        string[] fastFlush = ["--Recorder:FlushIntervalMs", "500"];
        List<string> beforeFlush = Enumerable.Range(1, 500).Select(i => $"a{i}").ToList();
        List<string> atKill = Enumerable.Range(1, 500).Select(i => $"b{i}").ToList();
        using (var app = await AppProcess.StartAsync(Output, fastFlush))
        {
            await PublishAllAsync(app, beforeFlush);
            await Task.Delay(1500); // three flush intervals: everything so far is on disk

            await PublishAllAsync(app, atKill);
            app.Process.Kill(); // SIGKILL: no drain, no closing bracket
        }

        var afterKill = await RecordedFiles.ReadWithPythonAsync(Output); // parses: the JSON array is valid after every flush
        Assert.That(Payloads(afterKill.Json).Take(beforeFlush.Count), Is.EqualTo(beforeFlush));
        Assert.That(Payloads(afterKill.Csv).Take(beforeFlush.Count), Is.EqualTo(beforeFlush));
        Assert.That(Payloads(afterKill.Json).Skip(beforeFlush.Count), Is.SubsetOf(atKill), "only whole records of the last interval may be missing");

        var afterRestart = new List<string> { "c1", "c2", "c3" };
        using (var app = await AppProcess.StartAsync(Output, fastFlush))
        {
            await PublishAllAsync(app, afterRestart);
            Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(20)), Is.Zero);
        }

        var final = await RecordedFiles.ReadWithPythonAsync(Output);
        foreach (var (name, records, beforeRestart) in new[] { ("json", final.Json, afterKill.Json), ("csv", final.Csv, afterKill.Csv) })
        {
            Assert.That(Payloads(records), Is.EqualTo(Payloads(beforeRestart).Concat(afterRestart)), $"{name}: the restart appended, never truncated");
        }
    }

    private static ExternalProcess PublishLines(AppProcess app, string topic, string clientId, int qos, bool retain, IEnumerable<string> lines)
    {
        List<string> arguments = ["-i", clientId, "-t", topic, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l"];
        if (retain)
        {
            arguments.Add("-r");
        }

        return MosquittoClients.StartPublisher(app.Port, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), [.. arguments]);
    }

    private static async Task PublishAllAsync(AppProcess app, IEnumerable<string> payloads)
    {
        using var publish = PublishLines(app, "sensors/durability", "durability", 1, false, payloads);
        Assert.That(await publish.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, publish.StandardError);
    }

    private static IEnumerable<string> Payloads(IEnumerable<ReadRecord> records) => records.Select(r => r.PayloadText);

    private static List<string> Payloads(IEnumerable<RecordedMessage> records) => [.. records.Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(r.PayloadBase64)))];

    private static string TrickyLine(int qos, bool retain, int i) => (i % 5) switch
    {
        0 => $"{qos}{retain}{i},\"quoted, with comma\",end",
        1 => $"=SUM(A1:A{i}) 🌡️ température {qos}",
        2 => $"-{i}.5\t@tab\tseparated",
        3 => $"  leading and trailing spaces {i}  ",
        _ => $"{{\"sensor\":\"t{i}\",\"value\":{i}.{qos},\"ok\":{retain.ToString().ToLowerInvariant()}}}",
    };
}

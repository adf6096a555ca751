using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests.Databases;

/// <summary>
/// The postgres format against a real PostgreSQL (Debian's, a throw-away cluster per fixture on a free port), read back
/// with psql: the fields byte-exact, MQTT 5 columns, a server that goes away is retried and loses and duplicates
/// nothing, delivery receipts, the history reader.
/// </summary>
[TestFixture]
[NonParallelizable] // one test sets the libpq environment variables, which are process-wide
[CancelAfter(120_000)]
public sealed class PostgresOutputTests
{
    private PostgresCluster cluster = null!;
    private TempFolder temp = null!;
    private int tableNumber;

    [OneTimeSetUp]
    public async Task StartCluster() => cluster = await PostgresCluster.StartAsync();

    [OneTimeTearDown]
    public void StopCluster() => cluster?.Dispose();

    [SetUp]
    public void SetUp() => temp = new TempFolder();

    [TearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public async Task Every_tricky_payload_is_in_the_table_byte_exact_read_with_psql()
    {
        var options = Options();
        var messages = Messages.TrickyPayloads
            .Select((payload, i) => Messages.Bytes($"sensors/{i}", payload, clientId: i % 3 == 0 ? null : $"c{i}", qos: (MqttQualityOfService)(i % 3), retain: i % 2 == 0,
                at: Messages.Noon.AddMilliseconds(i)))
            .ToArray();
        await using (var run = await RecorderRun.StartAsync(options))
        {
            run.Publish(messages);
            await run.RecordedAsync(messages.Length);
        }

        var rows = await ReadAsync(options.Postgres.Table);
        Assert.That(rows, Is.EqualTo(messages.Select(m =>
            $"{m.Topic}|{Convert.ToBase64String(m.Payload.Span)}|{(int)m.Qos}|{(m.Retain ? "t" : "f")}|{m.SourceClientId}|Client|{m.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}+00")));
    }

    [Test]
    public async Task Mqtt5_publication_properties_are_recorded_in_their_columns()
    {
        var options = Options();
        var message = Messages.Text("sensors/t", "{}") with
        {
            Properties = new MqttProperties
            {
                ContentType = "application/json",
                PayloadFormatIndicator = 1,
                ResponseTopic = "replies/1",
                CorrelationData = new byte[] { 0, 1, 0xFF },
                MessageExpiryInterval = 60,
                UserProperties = [new("unit", "°C"), new("unit", "K")],
            },
        };
        await using (var run = await RecorderRun.StartAsync(options))
        {
            run.Publish(message);
            await run.RecordedAsync(1);
        }

        var row = await cluster.PsqlAsync($"SELECT content_type, payload_format, response_topic, encode(correlation_data, 'hex'), message_expiry, user_properties::text FROM {options.Postgres.Table}");
        Assert.That(row.Trim(), Is.EqualTo("application/json|1|replies/1|0001ff|60|[[\"unit\", \"°C\"], [\"unit\", \"K\"]]"));
    }

    [Test]
    public async Task A_server_that_stops_is_retried_and_afterwards_holds_every_message_once()
    {
        var options = Options();
        options.AckAfterRecorded = true;
        options.RetryMaxDelayMs = 300;
        await using var run = await RecorderRun.StartAsync(options);
        run.Publish(Messages.Text("sensors/t", "before"));
        await run.RecordedAsync(1);

        await cluster.StopAsync();
        var receipt = run.Recorder.OnMessageAccepted(Messages.Text("sensors/t", "while down", qos: MqttQualityOfService.AtLeastOnce));
        run.Publish(Enumerable.Range(0, 100).Select(i => Messages.Text("sensors/t", $"down {i}")).ToArray());
        await Eventually.HoldsAsync(() => run.Statistics.WriteErrors >= 2, "the failing server is counted and retried", 30_000);
        Assert.That(receipt.IsPending, Is.True, "AckAfterRecorded waits for the PostgreSQL commit");

        await cluster.StartAgainAsync();
        await receipt.AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await run.RecordedAsync(102);
        await run.StopAsync();

        var payloads = await cluster.PsqlAsync($"SELECT convert_from(payload, 'UTF8') FROM {options.Postgres.Table} ORDER BY id");
        Assert.That(payloads.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "before", "while down" }.Concat(Enumerable.Range(0, 100).Select(i => $"down {i}"))));
        Assert.That(run.Statistics.LastError, Is.Not.Null);
    }

    [Test]
    public async Task Delivery_receipts_go_to_the_deliveries_table()
    {
        var options = Options();
        options.RecordDeliveries = true;
        var message = Messages.Text("sensors/t", "x", clientId: "publisher", qos: MqttQualityOfService.AtLeastOnce);
        await using (var run = await RecorderRun.StartAsync(options))
        {
            run.Publish(message);
            run.Recorder.OnDeliveryAcknowledged(SqliteOutputTests.Identity("phone"), message, MqttQualityOfService.AtLeastOnce);
            await Eventually.HoldsAsync(() => run.Statistics.DeliveriesRecorded == 1, "the receipt is recorded");
        }

        var row = await cluster.PsqlAsync($"SELECT client_id, topic, qos, publisher_client_id FROM {options.Postgres.DeliveriesTable}");
        Assert.That(row.Trim(), Is.EqualTo("phone|sensors/t|1|publisher"));
        var deliveries = new RecordedHistory(Microsoft.Extensions.Options.Options.Create(options)).Deliveries!;
        var page = await deliveries.QueryAsync(new DeliveryQuery { ClientId = "phone" }, CancellationToken.None);
        Assert.That(page.Entries.Select(d => (d.Topic, d.PublisherClientId)), Is.EqualTo(new[] { ("sensors/t", (string?)"publisher") }));
    }

    [Test]
    public async Task The_history_reads_the_table_with_filters_paging_and_previews()
    {
        var options = Options();
        await using (var run = await RecorderRun.StartAsync(options))
        {
            run.Publish(Enumerable.Range(0, 250).Select(i => Messages.Text($"sensors/{i % 5}/t", $"{i}:" + new string('x', i), at: Messages.Noon.AddSeconds(i))).ToArray());
            await run.RecordedAsync(250);
        }

        using var recorded = new RecordedHistory(Microsoft.Extensions.Options.Options.Create(options));
        var history = recorded.Messages!;
        var query = new HistoryQuery { TopicFilter = "sensors/+/t", From = Messages.Noon.AddSeconds(100), Limit = 100, PreviewBytes = 10 };
        var first = await history.QueryAsync(query, CancellationToken.None);
        var second = await history.QueryAsync(query with { Before = first.NextCursor }, CancellationToken.None);
        var rows = first.Entries.Concat(second.Entries).ToList();

        Assert.That(rows.Select(e => e.PayloadBytes), Is.EqualTo(Enumerable.Range(100, 150).Reverse().Select(i => $"{i}:".Length + i)));
        Assert.That(rows.All(e => e.Message.Payload.Length == 10), Is.True, "previews of 10 bytes");
        Assert.That(second.NextCursor, Is.Null);
        var full = await history.GetAsync(rows[0].Id, CancellationToken.None);
        Assert.That(Encoding.UTF8.GetString(full!.Payload.Span), Is.EqualTo("249:" + new string('x', 249)));
        var exact = await history.QueryAsync(new HistoryQuery { TopicFilter = "sensors/3/t", Limit = 1000 }, CancellationToken.None);
        Assert.That(exact.Entries, Has.Count.EqualTo(50));
    }

    [Test]
    public async Task An_empty_connection_string_takes_the_server_from_libpq_environment_variables()
    {
        var options = Options();
        options.Postgres.ConnectionString = "";
        string[] names = ["PGHOST", "PGPORT", "PGUSER", "PGDATABASE"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("PGHOST", "127.0.0.1");
            Environment.SetEnvironmentVariable("PGPORT", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Environment.SetEnvironmentVariable("PGUSER", PostgresCluster.User);
            Environment.SetEnvironmentVariable("PGDATABASE", PostgresCluster.Database);
            await using var run = await RecorderRun.StartAsync(options);
            run.Publish(Messages.Text("sensors/t", "via PG* variables"));
            await run.RecordedAsync(1);
            Assert.That(run.Recorder.OutputFiles, Has.Some.StartsWith($"postgres://127.0.0.1:{cluster.Port}/postgres"));
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        Assert.That((await cluster.PsqlAsync($"SELECT count(*) FROM {options.Postgres.Table}")).Trim(), Is.EqualTo("1"));
    }

    private RecorderOptions Options()
    {
        var options = RecorderRun.OptionsFor(temp.Combine("mqtt_data"), "postgres");
        var table = $"messages_{++tableNumber}";
        options.Postgres = new PostgresRecorderOptions { ConnectionString = cluster.ConnectionString, Table = table, DeliveriesTable = table + "_deliveries" };
        return options;
    }

    private async Task<List<string>> ReadAsync(string table)
    {
        var output = await cluster.PsqlAsync(
            $"SELECT topic, translate(encode(payload, 'base64'), E'\\n', ''), qos, retain, client_id, source, to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || '+00' FROM {table} ORDER BY id");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}

using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Recorder.Tests.Databases;

/// <summary>The sqlite format: mqtt_data.db beside the files, the same fields byte-exact, the files' commit promises.</summary>
public sealed class SqliteOutputTests : TempFolderFixture
{
    private string Output => Temp.Combine("exports", "mqtt_data");

    private string Database => Output + ".db";

    [Test]
    public async Task Every_tricky_payload_is_in_the_database_byte_exact_with_the_fields_of_the_files()
    {
        var messages = Messages.TrickyPayloads
            .Select((payload, i) => Messages.Bytes($"sensors/{i}", payload, clientId: i % 3 == 0 ? null : $"c{i}", qos: (MqttQualityOfService)(i % 3), retain: i % 2 == 0,
                at: Messages.Noon.AddMilliseconds(i)))
            .ToArray();
        await using (var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "csv,sqlite")))
        {
            run.Publish(messages);
            await run.RecordedAsync(messages.Length);
        }

        var rows = DatabaseRows.ReadSqlite(Database);
        Assert.That(rows.Select(r => r.Message), Is.EqualTo(messages.Select(m =>
            new RecordedMessage(m.Topic, Convert.ToBase64String(m.Payload.Span), (int)m.Qos, m.Retain, m.SourceClientId))));
        Assert.That(rows.Select(r => r.Timestamp), Is.EqualTo(RecordedFiles.ReadCsv(Output + ".csv").Select(r => r.Timestamp)), "the timestamp text of the CSV");
        Assert.That(rows[0].Source, Is.EqualTo("Client"));
    }

    [Test]
    public async Task Mqtt5_publication_properties_are_recorded_in_their_columns()
    {
        var message = Messages.Text("sensors/t", "{\"t\":21}") with
        {
            Properties = new MqttProperties
            {
                ContentType = "application/json",
                PayloadFormatIndicator = 1,
                ResponseTopic = "replies/1",
                CorrelationData = new byte[] { 0, 1, 0xFF },
                MessageExpiryInterval = 3600,
                UserProperties = [new("unit", "°C"), new("unit", "K"), new("quote", "a\"b")],
            },
        };
        await using (var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "sqlite")))
        {
            run.Publish(message);
            await run.RecordedAsync(1);
        }

        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT content_type, payload_format, response_topic, correlation_data, message_expiry, user_properties FROM messages";
        using var reader = command.ExecuteReader();
        Assert.That(reader.Read(), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(reader.GetString(0), Is.EqualTo("application/json"));
            Assert.That(reader.GetInt64(1), Is.EqualTo(1));
            Assert.That(reader.GetString(2), Is.EqualTo("replies/1"));
            Assert.That(reader.GetFieldValue<byte[]>(3), Is.EqualTo(new byte[] { 0, 1, 0xFF }));
            Assert.That(reader.GetInt64(4), Is.EqualTo(3600));
            Assert.That(reader.GetString(5), Is.EqualTo("[[\"unit\",\"°C\"],[\"unit\",\"K\"],[\"quote\",\"a\\\"b\"]]"), "order and duplicates kept");
        });
    }

    [Test]
    public async Task A_message_without_properties_leaves_the_mqtt5_columns_null()
    {
        await using (var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "sqlite")))
        {
            run.Publish(Messages.Text("sensors/t", "1"));
            await run.RecordedAsync(1);
        }

        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM messages WHERE content_type IS NULL AND payload_format IS NULL AND correlation_data IS NULL AND user_properties IS NULL AND message_expiry IS NULL";
        Assert.That(command.ExecuteScalar(), Is.EqualTo(1L));
    }

    [Test]
    public async Task The_database_is_read_by_pythons_sqlite3_module_byte_exact()
    {
        var messages = Messages.TrickyPayloads.Select((payload, i) => Messages.Bytes("sensors/py", payload, qos: (MqttQualityOfService)(i % 3))).ToArray();
        await using (var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "sqlite")))
        {
            run.Publish(messages);
            await run.RecordedAsync(messages.Length);
        }

        const string Script = "import base64, sqlite3, sys\n"
            + "rows = sqlite3.connect(sys.argv[1]).execute('SELECT payload, qos FROM messages ORDER BY id').fetchall()\n"
            + "print('\\n'.join(base64.b64encode(p).decode() + ' ' + str(q) for p, q in rows))\n";
        var (code, output, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), ThirdPartyTools.Python, "-c", Script, Database);
        Assert.That(code, Is.Zero, error);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(messages.Select(m => Convert.ToBase64String(m.Payload.Span) + " " + (int)m.Qos)));
    }

    [Test]
    public async Task A_restart_appends_to_the_database()
    {
        foreach (var payload in new[] { "first", "second" })
        {
            await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "sqlite"));
            run.Publish(Messages.Text("sensors/t", payload));
            await run.RecordedAsync(1);
        }

        Assert.That(DatabaseRows.ReadSqlite(Database).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task A_locked_database_is_retried_reported_and_loses_nothing_and_AckAfterRecorded_waits_for_its_commit()
    {
        var options = RecorderRun.OptionsFor(Output, "csv,sqlite");
        options.AckAfterRecorded = true;
        var logger = new CollectingLogger<MessageRecorder>();
        await using var run = await RecorderRun.StartAsync(options, logger);
        run.Publish(Messages.Text("sensors/t", "before"));
        await run.RecordedAsync(1);

        // Another program holds the write lock longer than the writer's busy timeout (5 s): commits fail with SQLITE_BUSY.
        using (var blocker = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            blocker.Open();
            using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                begin.ExecuteNonQuery();
            }

            var receipt = run.Recorder.OnMessageAccepted(Messages.Text("sensors/t", "while locked", qos: MqttQualityOfService.AtLeastOnce));
            run.Publish(Enumerable.Range(0, 50).Select(i => Messages.Text("sensors/t", $"locked {i}")).ToArray());
            await Eventually.HoldsAsync(() => run.Statistics.WriteErrors > 0, "the locked database is counted as a write error", 20_000);
            Assert.That(receipt.IsPending, Is.True, "the publisher's acknowledgement waits for the database commit");
            Assert.That(run.Statistics.LastError, Does.Contain("locked"));
            using var end = blocker.CreateCommand();
            end.CommandText = "ROLLBACK";
            end.ExecuteNonQuery();
            await receipt.AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        }

        await run.RecordedAsync(52);
        await run.StopAsync();
        string[] expected = ["before", "while locked", .. Enumerable.Range(0, 50).Select(i => $"locked {i}")];
        Assert.That(DatabaseRows.ReadSqlite(Database).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(expected), "each once, in order");
        Assert.That(RecordedFiles.ReadCsv(Output + ".csv").Select(r => r.PayloadText), Is.EqualTo(expected), "the CSV, not duplicated by the replay");
        Assert.That(logger.Errors, Has.Some.Contains(Database), "the report names the database");
    }

    [Test]
    public async Task Delivery_receipts_are_recorded_in_the_deliveries_table_with_the_consumer()
    {
        var options = RecorderRun.OptionsFor(Output, "sqlite");
        options.RecordDeliveries = true;
        var message = Messages.Text("sensors/t", "x", clientId: "publisher", qos: MqttQualityOfService.ExactlyOnce);
        await using (var run = await RecorderRun.StartAsync(options))
        {
            run.Publish(message);
            run.Recorder.OnDeliveryAcknowledged(Identity("phone-1"), message, MqttQualityOfService.ExactlyOnce);
            run.Recorder.OnDeliveryAcknowledged(Identity("phone-2"), message, MqttQualityOfService.AtLeastOnce);
            await Eventually.HoldsAsync(() => run.Statistics.DeliveriesRecorded == 2, "two receipts are recorded");
        }

        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT client_id, topic, qos, publisher_client_id, message_timestamp FROM deliveries ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetInt64(2)} {reader.GetString(3)} {reader.GetString(4)}");
        }

        Assert.That(rows, Is.EqualTo(new[] { "phone-1 sensors/t 2 publisher 2026-11-22T10:15:30.123Z", "phone-2 sensors/t 1 publisher 2026-11-22T10:15:30.123Z" }));
    }

    [Test]
    public async Task Delivery_receipts_are_not_recorded_unless_asked()
    {
        var message = Messages.Text("sensors/t", "x", qos: MqttQualityOfService.AtLeastOnce);
        await using (var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "sqlite")))
        {
            run.Publish(message);
            run.Recorder.OnDeliveryAcknowledged(Identity("phone-1"), message, MqttQualityOfService.AtLeastOnce);
            await run.RecordedAsync(1);
        }

        Assert.That(DatabaseRows.Count(Database, "deliveries"), Is.Zero);
    }

    internal static MqttClientIdentity Identity(string clientId) =>
        new(clientId, null, new MqttConnectionContext { RemoteEndPoint = "127.0.0.1:1", Transport = "tcp" });
}

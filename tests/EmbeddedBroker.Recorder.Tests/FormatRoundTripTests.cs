using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

public sealed class FormatRoundTripTests : TempFolderFixture
{
    [TestCase("csv")]
    [TestCase("json")]
    [TestCase("jsonl")]
    public async Task Tricky_payloads_come_back_byte_exact(string format)
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("exports", "mqtt_data"), format));
        var payloads = Messages.TrickyPayloads;
        foreach (var payload in payloads)
        {
            run.Publish(Messages.Bytes("sensors/tricky", payload));
        }

        await run.RecordedAsync(payloads.Count);
        await run.StopAsync();

        var records = format switch
        {
            "csv" => RecordedFiles.ReadCsv(run.CsvPath),
            "json" => RecordedFiles.ReadJsonArray(run.JsonPath),
            _ => RecordedFiles.ReadJsonLines(run.JsonLinesPath),
        };
        Assert.That(records, Has.Count.EqualTo(payloads.Count));
        for (var i = 0; i < payloads.Count; i++)
        {
            Assert.That(records[i].Payload, Is.EqualTo(payloads[i]), $"payload #{i}");
        }
    }

    [TestCase("csv")]
    [TestCase("json")]
    [TestCase("jsonl")]
    public async Task Invalid_utf8_payloads_are_base64_and_text_payloads_utf8(string format)
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), format));
        run.Publish(Messages.Text("sensors/t", "21.5"), Messages.Bytes("sensors/bin", [0xFF, 0x00, 0x7F]));
        await run.RecordedAsync(2);
        await run.StopAsync();

        var records = format switch
        {
            "csv" => RecordedFiles.ReadCsv(run.CsvPath),
            "json" => RecordedFiles.ReadJsonArray(run.JsonPath),
            _ => RecordedFiles.ReadJsonLines(run.JsonLinesPath),
        };
        Assert.That(records.Select(r => r.Encoding), Is.EqualTo(new[] { "utf8", "base64" }));
    }

    [TestCase("csv")]
    [TestCase("json")]
    public async Task Every_field_is_recorded_with_an_iso_8601_utc_millisecond_timestamp(string format)
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), format));
        var at = new DateTimeOffset(2026, 11, 22, 11, 15, 30, 123, TimeSpan.FromHours(1)).AddTicks(4567);
        run.Publish(
            Messages.Text("sensors/a,\"b\"", "1", clientId: "client,\"1\"", qos: MqttQualityOfService.ExactlyOnce, retain: true, at: at),
            Messages.Text("sensors/b", "2", clientId: null, qos: MqttQualityOfService.AtLeastOnce));
        await run.RecordedAsync(2);
        await run.StopAsync();

        var records = format == "csv" ? RecordedFiles.ReadCsv(run.CsvPath) : RecordedFiles.ReadJsonArray(run.JsonPath);
        Assert.That(records[0], Is.EqualTo(new ReadRecord("2026-11-22T10:15:30.123Z", "sensors/a,\"b\"", "1"u8.ToArray(), 2, true, "client,\"1\"", "utf8"))
            .Using<ReadRecord>((x, y) => x.Timestamp == y.Timestamp && x.Topic == y.Topic && x.Payload.SequenceEqual(y.Payload)
                && x.Qos == y.Qos && x.Retain == y.Retain && x.ClientId == y.ClientId && x.Encoding == y.Encoding));
        Assert.That(records[1].ClientId, Is.Null, "a broker-originated message has no client id");
        Assert.That(records[1].Qos, Is.EqualTo(1));
        Assert.That(records[1].Retain, Is.False);
    }

    [Test]
    public async Task Csv_file_is_rfc_4180_with_crlf_records_and_no_byte_order_mark()
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv"));
        run.Publish(Messages.Text("sensors/t", "a \"quoted\", multi\nline"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        var text = Encoding.UTF8.GetString(RecordedFiles.ReadBytes(run.CsvPath));
        Assert.That(text, Is.EqualTo(
            "timestamp,topic,payload,qos,retain,client_id,payload_encoding\r\n"
            + "2026-11-22T10:15:30.123Z,sensors/t,\"a \"\"quoted\"\", multi\nline\",0,false,sensor-1,utf8\r\n"));
    }

    [Test]
    public async Task Formula_like_payloads_are_kept_verbatim_by_default()
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv"));
        run.Publish(Messages.Text("sensors/t", "=HYPERLINK(\"x\")"), Messages.Text("sensors/t", "-12.5"));
        await run.RecordedAsync(2);
        await run.StopAsync();

        var text = Encoding.UTF8.GetString(RecordedFiles.ReadBytes(run.CsvPath));
        Assert.That(text, Does.Contain(",\"=HYPERLINK(\"\"x\"\")\",").And.Contain(",-12.5,"));
    }

    [Test]
    public async Task Formula_like_payloads_are_escaped_when_CsvEscapeFormulas_is_set()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.CsvEscapeFormulas = true;
        await using var run = await RecorderRun.StartAsync(options);
        run.Publish(Messages.Text("sensors/t", "=1+2"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        Assert.That(RecordedFiles.ReadCsv(run.CsvPath)[0].Payload, Is.EqualTo("'=1+2"u8.ToArray()));
    }

    [Test]
    public async Task Format_both_writes_csv_and_json_with_the_same_records()
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("mqtt_data")));
        run.Publish(Messages.Text("sensors/temperature", "23.7"), Messages.Text("sensors/humidity", "41"));
        await run.RecordedAsync(2);
        await run.StopAsync();

        Assert.That(File.Exists(run.JsonLinesPath), Is.False);
        var csv = RecordedFiles.ReadCsv(run.CsvPath);
        var json = RecordedFiles.ReadJsonArray(run.JsonPath);
        Assert.That(json.Select(r => (r.Topic, Encoding.UTF8.GetString(r.Payload))),
            Is.EqualTo(csv.Select(r => (r.Topic, Encoding.UTF8.GetString(r.Payload)))));
        Assert.That(csv.Select(r => r.Topic), Is.EqualTo(new[] { "sensors/temperature", "sensors/humidity" }));
    }
}

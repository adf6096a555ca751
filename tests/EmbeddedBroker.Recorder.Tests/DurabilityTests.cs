using System.Text;
using System.Text.Json;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>Files stay parseable while being written, survive a crash (torn tail repaired) and are appended to on restart.</summary>
public sealed class DurabilityTests : TempFolderFixture
{
    private string Output => Temp.Combine("exports", "mqtt_data");

    [Test]
    public async Task Json_file_is_a_valid_array_after_every_flush()
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "json"));
        for (var batch = 1; batch <= 5; batch++)
        {
            run.Publish(Messages.Text("sensors/t", $"reading {batch}a"), Messages.Text("sensors/t", $"reading {batch}b"));
            await run.RecordedAsync(batch * 2);

            var records = RecordedFiles.ReadJsonArray(run.JsonPath); // while the recorder keeps the file open
            Assert.That(records, Has.Count.EqualTo(batch * 2));
            Assert.That(Encoding.UTF8.GetString(records[^1].Payload), Is.EqualTo($"reading {batch}b"));
        }
    }

    [Test]
    public async Task Csv_and_json_are_complete_after_every_flush_while_the_recorder_runs()
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output));
        run.Publish(Messages.Text("sensors/t", "1"));
        await run.RecordedAsync(1);

        Assert.That(RecordedFiles.ReadCsv(run.CsvPath), Has.Count.EqualTo(1));
        Assert.That(RecordedFiles.ReadJsonArray(run.JsonPath), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Restart_appends_to_existing_files_and_writes_the_csv_header_once()
    {
        await using (var first = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "csv,json,jsonl")))
        {
            first.Publish(Messages.Text("sensors/t", "first"));
            await first.RecordedAsync(1);
        }

        await using var second = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "csv,json,jsonl"));
        second.Publish(Messages.Text("sensors/t", "second"));
        await second.RecordedAsync(1);
        await second.StopAsync();

        string[] expected = ["first", "second"];
        Assert.That(RecordedFiles.ReadCsv(second.CsvPath).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(expected));
        Assert.That(RecordedFiles.ReadJsonArray(second.JsonPath).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(expected));
        Assert.That(RecordedFiles.ReadJsonLines(second.JsonLinesPath).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(expected));
        var csvText = File.ReadAllText(second.CsvPath);
        Assert.That(csvText.Split("timestamp,topic").Length - 1, Is.EqualTo(1), "header written once");
    }

    [TestCase("[\n{\"timestamp\":\"2026-11-22T10:15:30.123Z\",\"topic\":\"sensors/t\",\"payload\":\"old\",\"qos\":0,\"retain\":false,\"client_id\":\"c\",\"payload_encoding\":\"utf8\"}", TestName = "Json_array_left_open_is_closed_and_appended_to")]
    [TestCase("[\n{\"timestamp\":\"2026-11-22T10:15:30.123Z\",\"topic\":\"sensors/t\",\"payload\":\"old\",\"qos\":0,\"retain\":false,\"client_id\":\"c\",\"payload_encoding\":\"utf8\"},\n{\"timestamp\":\"2026-11-22T10:15:30.124Z\",\"topic\":\"sens", TestName = "Json_array_with_a_torn_last_record_keeps_the_complete_ones")]
    [TestCase("[\n{\"timestamp\":\"2026-11-22T10:15:30.123Z\",\"topic\":\"sensors/t\",\"payload\":\"old\",\"qos\":0,\"retain\":false,\"client_id\":\"c\",\"payload_encoding\":\"utf8\"},\n", TestName = "Json_array_torn_after_a_separator_is_repaired")]
    [TestCase("[\n{\"timestamp\":\"2026-11-22T10:15:30.123Z\",\"topic\":\"sensors/t\",\"payload\":\"old\",\"qos\":0,\"retain\":false,\"client_id\":\"c\",\"payload_encoding\":\"utf8\"}\n", TestName = "Json_array_torn_inside_the_closing_bracket_is_repaired")]
    public async Task Json_crash_leftovers_are_repaired_on_start(string leftover)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        await File.WriteAllTextAsync(Output + ".json", leftover);

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "json"));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        var payloads = RecordedFiles.ReadJsonArray(run.JsonPath).Select(r => Encoding.UTF8.GetString(r.Payload));
        Assert.That(payloads, Is.EqualTo(new[] { "old", "new" }));
    }

    [Test]
    public async Task Json_array_torn_right_after_its_opening_bracket_is_repaired()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        await File.WriteAllTextAsync(Output + ".json", "[\n{\"timesta");

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "json"));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        Assert.That(RecordedFiles.ReadJsonArray(run.JsonPath), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_existing_indented_json_array_is_kept_and_appended_to()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        await File.WriteAllTextAsync(Output + ".json", "[\n    {\n        \"topic\": \"sensors/t\",\n        \"payload\": \"from python\"\n    }\n]\n");

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "json"));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        using var document = JsonDocument.Parse(File.ReadAllBytes(run.JsonPath));
        Assert.That(document.RootElement.GetArrayLength(), Is.EqualTo(2));
        Assert.That(document.RootElement[0].GetProperty("payload").GetString(), Is.EqualTo("from python"));
        Assert.That(document.RootElement[1].GetProperty("payload").GetString(), Is.EqualTo("new"));
    }

    [TestCase("2026-11-22T10:15:30.124Z,sensors/t,\"torn \r\n", TestName = "Csv_record_torn_inside_a_quoted_multi_line_payload_is_removed")]
    [TestCase("2026-11-22T10:15:30.124Z,sensors/t,12", TestName = "Csv_record_torn_mid_line_is_removed")]
    [TestCase("2026-11-22T10:15:30.124Z,sensors/t,\"a,\"\"b\"\"", TestName = "Csv_record_torn_after_an_escaped_quote_is_removed")]
    public async Task Csv_torn_last_record_is_truncated_on_start(string tornTail)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        var complete = "timestamp,topic,payload,qos,retain,client_id,payload_encoding\r\n"
            + "2026-11-22T10:15:30.123Z,sensors/t,\"old \"\"quoted\"\"\r\nline\",0,false,c,utf8\r\n";
        await File.WriteAllTextAsync(Output + ".csv", complete + tornTail);

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "csv"));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        var payloads = RecordedFiles.ReadCsv(run.CsvPath).Select(r => Encoding.UTF8.GetString(r.Payload));
        Assert.That(payloads, Is.EqualTo(new[] { "old \"quoted\"\r\nline", "new" }));
    }

    [Test]
    public async Task Csv_with_only_a_torn_header_is_started_again()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        await File.WriteAllTextAsync(Output + ".csv", "timestamp,topic,pay");

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "csv"));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        Assert.That(RecordedFiles.ReadCsv(run.CsvPath), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Json_lines_torn_last_line_is_removed_on_start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        await File.WriteAllTextAsync(Output + ".jsonl",
            "{\"timestamp\":\"2026-11-22T10:15:30.123Z\",\"topic\":\"sensors/t\",\"payload\":\"old\",\"qos\":0,\"retain\":false,\"client_id\":\"c\",\"payload_encoding\":\"utf8\"}\n{\"timest");

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "jsonl"));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        var payloads = RecordedFiles.ReadJsonLines(run.JsonLinesPath).Select(r => Encoding.UTF8.GetString(r.Payload));
        Assert.That(payloads, Is.EqualTo(new[] { "old", "new" }));
    }

    [TestCase("csv", "timestamp,topic,payload\r\n2025-01-01 10:00:00,sensors/t,23.7\r\n", TestName = "A_csv_in_another_format_is_moved_aside_not_overwritten")]
    [TestCase("csv", "timestamp,topic,payload\r\n2025-01-01 10:00:00,sensors/t,23.7\r\n\n\n\n", TestName = "A_csv_in_another_format_keeps_its_trailing_blank_lines")]
    [TestCase("csv", "timestamp,topic,payload\r\n2025-01-01 10:00:00,sensors/t,\"torn", TestName = "A_csv_in_another_format_keeps_its_torn_last_line")]
    [TestCase("jsonl", "[\"not\", \"a record\"]\n\n\n{\"torn", TestName = "A_json_lines_file_in_another_format_is_moved_aside_unchanged")]
    public async Task A_file_in_another_format_is_moved_aside_byte_for_byte(string format, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        var path = $"{Output}.{format}";
        await File.WriteAllTextAsync(path, content);

        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, format));
        run.Publish(Messages.Text("sensors/t", "new"));
        await run.RecordedAsync(1);
        await run.StopAsync();

        var recorded = format == "csv" ? RecordedFiles.ReadCsv(path) : RecordedFiles.ReadJsonLines(path);
        Assert.That(recorded, Has.Count.EqualTo(1));
        var moved = Directory.GetFiles(Path.GetDirectoryName(Output)!, $"mqtt_data.moved-*.{format}");
        Assert.That(moved, Has.Length.EqualTo(1));
        Assert.That(await File.ReadAllTextAsync(moved[0]), Is.EqualTo(content), "another program's file is kept exactly as it was");
    }

    [TestCase(false, TestName = "A_file_deleted_while_recording_is_started_again_and_gets_the_later_messages")]
    [TestCase(true, TestName = "A_file_moved_away_while_recording_keeps_its_records_and_a_new_file_gets_the_later_ones")]
    public async Task Files_deleted_or_moved_while_open_are_started_again_at_their_path(bool moveInsteadOfDelete)
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Output, "csv,json,jsonl"));
        run.Publish(Messages.Text("sensors/t", "before 1"), Messages.Text("sensors/t", "before 2"));
        await run.RecordedAsync(2);

        string[] paths = [run.CsvPath, run.JsonPath, run.JsonLinesPath];
        foreach (var path in paths)
        {
            if (moveInsteadOfDelete)
            {
                File.Move(path, path + ".1"); // what logrotate does
            }
            else
            {
                File.Delete(path); // an operator starting afresh
            }
        }

        run.Publish(Messages.Text("sensors/t", "after 1"), Messages.Text("sensors/t", "after 2"));
        await run.RecordedAsync(4);
        await run.StopAsync();

        string[] after = ["after 1", "after 2"];
        Assert.Multiple(() =>
        {
            foreach (var path in paths)
            {
                Assert.That(RecordedFiles.ReadPayloads(Path.GetExtension(path), path).Select(Encoding.UTF8.GetString), Is.EqualTo(after), path);
                if (moveInsteadOfDelete)
                {
                    Assert.That(RecordedFiles.ReadPayloads(Path.GetExtension(path), path + ".1").Select(Encoding.UTF8.GetString),
                        Is.EqualTo(new[] { "before 1", "before 2" }), path + ".1 is complete and still parses");
                }
            }
        });
    }

    [Test]
    public async Task Stop_drains_the_whole_queue_into_the_files()
    {
        var options = RecorderRun.OptionsFor(Output);
        options.FlushIntervalMs = 60_000; // nothing is flushed by time: only the stop can write these
        await using var run = await RecorderRun.StartAsync(options);
        for (var i = 0; i < 5000; i++)
        {
            run.Publish(Messages.Text("sensors/t", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await run.StopAsync();

        Assert.That(run.Statistics.Recorded, Is.EqualTo(5000));
        Assert.That(run.Statistics.QueueDepth, Is.Zero);
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath), Has.Count.EqualTo(5000));
        Assert.That(RecordedFiles.ReadJsonArray(run.JsonPath), Has.Count.EqualTo(5000));
    }

    [Test]
    public async Task Messages_are_flushed_within_the_flush_interval_without_a_stop()
    {
        var options = RecorderRun.OptionsFor(Output, "csv");
        options.FlushIntervalMs = 200;
        await using var run = await RecorderRun.StartAsync(options);
        run.Publish(Messages.Text("sensors/t", "1"));

        await run.RecordedAsync(1);
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath), Has.Count.EqualTo(1));
    }
}

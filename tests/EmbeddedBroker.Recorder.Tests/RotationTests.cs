using System.Text;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

public sealed class RotationTests : TempFolderFixture
{
    [Test]
    public async Task Size_rotation_renames_full_files_to_dated_numbered_names_and_keeps_the_active_name()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"));
        options.RotateMaxBytes = 300;
        await using var run = await RecorderRun.StartAsync(options);
        for (var i = 0; i < 3; i++)
        {
            run.Publish(Messages.Text("sensors/t", new string('x', 200) + i));
            await run.RecordedAsync(i + 1); // one commit per message: each fills a file past 300 bytes
        }

        await run.StopAsync();

        var names = Directory.GetFiles(Temp.Path).Select(Path.GetFileName).Order().ToArray();
        Assert.That(names, Is.EqualTo(new[]
        {
            "mqtt_data.2026-11-22.1.csv", "mqtt_data.2026-11-22.1.json",
            "mqtt_data.2026-11-22.2.csv", "mqtt_data.2026-11-22.2.json",
            "mqtt_data.2026-11-22.csv", "mqtt_data.2026-11-22.json",
            "mqtt_data.csv", "mqtt_data.json",
        }));
        Assert.That(Encoding.UTF8.GetString(RecordedFiles.ReadCsv(Temp.Combine("mqtt_data.2026-11-22.csv")).Single().Payload), Does.EndWith("0"));
        Assert.That(Encoding.UTF8.GetString(RecordedFiles.ReadJsonArray(Temp.Combine("mqtt_data.2026-11-22.2.json")).Single().Payload), Does.EndWith("2"));
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath), Is.Empty, "the active file is new, with its header");
        Assert.That(RecordedFiles.ReadJsonArray(run.JsonPath), Is.Empty);
        Assert.That(run.Statistics.FilesRotated, Is.EqualTo(6));
    }

    [Test]
    public async Task Daily_rotation_starts_a_new_file_when_the_utc_day_changes()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"));
        options.RotateDaily = true;
        var day1 = new DateTimeOffset(2026, 11, 22, 23, 59, 59, 999, TimeSpan.Zero);
        await using var run = await RecorderRun.StartAsync(options);
        run.Publish(
            Messages.Text("sensors/t", "late 22nd", at: day1),
            Messages.Text("sensors/t", "early 23rd", at: day1.AddMilliseconds(1)),
            Messages.Text("sensors/t", "later 23rd", at: day1.AddHours(5)));
        await run.RecordedAsync(3);
        await run.StopAsync();

        Assert.That(RecordedFiles.ReadCsv(Temp.Combine("mqtt_data.2026-11-22.csv")).Select(r => r.Timestamp), Is.EqualTo(new[] { "2026-11-22T23:59:59.999Z" }));
        Assert.That(RecordedFiles.ReadJsonArray(Temp.Combine("mqtt_data.2026-11-22.json")), Has.Count.EqualTo(1));
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "early 23rd", "later 23rd" }));
        Assert.That(RecordedFiles.ReadJsonArray(run.JsonPath), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Daily_rotation_after_a_restart_rotates_yesterdays_file_first()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.RotateDaily = true;
        await using (var first = await RecorderRun.StartAsync(options))
        {
            first.Publish(Messages.Text("sensors/t", "today"));
            await first.RecordedAsync(1);
        }

        File.SetLastWriteTimeUtc(Temp.Combine("mqtt_data.csv"), new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc));
        await using var second = await RecorderRun.StartAsync(options);
        second.Publish(Messages.Text("sensors/t", "after restart"));
        await second.RecordedAsync(1);
        await second.StopAsync();

        Assert.That(File.Exists(Temp.Combine("mqtt_data.2026-11-21.csv")), Is.True, "the file last written on the 21st is named after it");
        Assert.That(RecordedFiles.ReadCsv(second.CsvPath).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "after restart" }));
    }
}

using System.IO.Compression;
using System.Text;
using EmbeddedBroker.Recorder.Database.Sqlite;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Outputs;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>Rotated files gzipped (CompressRotated), and the retention limit on rotated files and database rows.</summary>
public sealed class RetentionTests : TempFolderFixture
{
    [Test]
    public async Task Rotated_files_are_gzipped_and_decompress_to_the_records_while_the_active_file_stays_plain()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv,jsonl");
        options.RotateMaxBytes = 300;
        options.CompressRotated = true;
        await using (var run = await RecorderRun.StartAsync(options))
        {
            for (var i = 0; i < 3; i++)
            {
                run.Publish(Messages.Text("sensors/t", new string('x', 300) + i));
                await run.RecordedAsync(i + 1);
            }
        }

        var names = Directory.GetFiles(Temp.Path).Select(Path.GetFileName).Order().ToArray();
        Assert.That(names, Is.EqualTo(new[]
        {
            "mqtt_data.2026-11-22.1.csv.gz", "mqtt_data.2026-11-22.1.jsonl.gz",
            "mqtt_data.2026-11-22.2.csv.gz", "mqtt_data.2026-11-22.2.jsonl.gz",
            "mqtt_data.2026-11-22.csv.gz", "mqtt_data.2026-11-22.jsonl.gz",
            "mqtt_data.csv", "mqtt_data.jsonl",
        }));
        var unzipped = Temp.Combine("unzipped.csv");
        await using (var gzip = new GZipStream(File.OpenRead(Temp.Combine("mqtt_data.2026-11-22.1.csv.gz")), CompressionMode.Decompress))
        await using (var plain = File.Create(unzipped))
        {
            await gzip.CopyToAsync(plain);
        }

        Assert.That(RecordedFiles.ReadCsv(unzipped).Single().PayloadText, Is.EqualTo(new string('x', 300) + "1"));
    }

    [Test]
    public void Rotated_files_older_than_the_age_limit_are_deleted_but_never_the_active_or_moved_aside_files()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var file = RecordFileFactory.For(".csv", Temp.Combine("mqtt_data"));
        string[] old = ["mqtt_data.2026-11-01.csv", "mqtt_data.2026-11-02.1.csv.gz"];
        string[] kept = ["mqtt_data.2026-11-29.csv", "mqtt_data.csv", "mqtt_data.moved-20261101T000000Z.csv", "other.2026-11-01.csv", "mqtt_data.2026-11-01.json"];
        foreach (var name in old.Concat(kept))
        {
            File.WriteAllText(Temp.Combine(name), "x");
            File.SetLastWriteTimeUtc(Temp.Combine(name), name.Contains("11-29", StringComparison.Ordinal) ? now.UtcDateTime.AddDays(-1) : now.UtcDateTime.AddDays(-20));
        }

        var statistics = new RecorderStatistics();
        new Retention(TimeSpan.FromDays(7), 0, [file], [], statistics, NullLogger.Instance, new FixedTime(now)).RunNow();

        Assert.That(Directory.GetFiles(Temp.Path).Select(Path.GetFileName).Order(), Is.EqualTo(kept.Order()));
        Assert.That(statistics.RetentionDeleted, Is.EqualTo(2));
    }

    [Test]
    public void Over_the_size_limit_the_oldest_rotated_files_go_first()
    {
        var file = RecordFileFactory.For(".csv", Temp.Combine("mqtt_data"));
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var day = 1; day <= 5; day++)
        {
            var path = Temp.Combine($"mqtt_data.2026-11-0{day}.csv");
            File.WriteAllText(path, new string('x', 1000));
            File.SetLastWriteTimeUtc(path, start.AddDays(day));
        }

        new Retention(null, 2500, [file], [], new RecorderStatistics(), NullLogger.Instance).RunNow();

        Assert.That(Directory.GetFiles(Temp.Path).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "mqtt_data.2026-11-04.csv", "mqtt_data.2026-11-05.csv" }));
    }

    [Test]
    public void Database_rows_older_than_the_age_limit_are_deleted()
    {
        var now = Messages.Noon.AddDays(10);
        var database = new SqliteRecordOutput(Temp.Combine("mqtt_data.db"));
        using var set = new RecordOutputSet(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "sqlite"), [], [database], new RecorderStatistics(), NullLogger.Instance);
        for (var day = 0; day < 10; day++)
        {
            set.Append(Messages.Text("sensors/t", $"day {day}", at: Messages.Noon.AddDays(day)));
        }

        set.Commit();
        new Retention(TimeSpan.FromDays(3), 0, [], [database], new RecorderStatistics(), NullLogger.Instance, new FixedTime(now)).RunNow();
        set.Dispose();

        Assert.That(DatabaseRows.ReadSqlite(Temp.Combine("mqtt_data.db")).Select(r => Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "day 7", "day 8", "day 9" }));
    }

    [Test]
    public void Over_the_size_limit_the_oldest_database_rows_go_first()
    {
        var database = new SqliteRecordOutput(Temp.Combine("mqtt_data.db"));
        using var set = new RecordOutputSet(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "sqlite"), [], [database], new RecorderStatistics(), NullLogger.Instance);
        for (var i = 0; i < 2000; i++)
        {
            set.Append(Messages.Text("sensors/t", $"{i:D4}" + new string('x', 1000)));
        }

        set.Commit();
        Assert.That(database.UsedBytes(), Is.GreaterThan(2_000_000));
        new Retention(null, 1_000_000, [], [database], new RecorderStatistics(), NullLogger.Instance).RunNow();

        Assert.That(database.UsedBytes(), Is.LessThanOrEqualTo(1_000_000));
        set.Dispose();
        var left = DatabaseRows.ReadSqlite(Temp.Combine("mqtt_data.db")).Select(r => Encoding.UTF8.GetString(r.Payload)[..4]).ToList();
        Assert.That(left, Is.Not.Empty);
        Assert.That(left[^1], Is.EqualTo("1999"), "the newest rows stay");
        Assert.That(left, Is.EqualTo(Enumerable.Range(2000 - left.Count, left.Count).Select(i => $"{i:D4}")), "only the oldest went");
    }
}

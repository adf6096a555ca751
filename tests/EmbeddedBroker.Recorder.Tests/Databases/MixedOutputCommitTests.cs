using EmbeddedBroker.Recorder.Database.Sqlite;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Outputs;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Tests.Databases;

/// <summary>
/// Files and databases in one commit: when a file fails after the database's transaction committed, the recovery
/// writes the file's batch again and the database's not at all, so each record is in each output exactly once.
/// </summary>
public sealed class MixedOutputCommitTests : TempFolderFixture
{
    private bool failCsv;

    [Test]
    public void A_file_failing_after_the_database_committed_replays_the_file_only()
    {
        var basePath = Temp.Combine("mqtt_data");
        var options = RecorderRun.OptionsFor(basePath, "csv,sqlite");
        var statistics = new RecorderStatistics();
        var database = new SqliteRecordOutput(basePath + ".db");
        // The CSV after the database in the commit order: its write fails once the database's transaction committed.
        using var set = new RecordOutputSet(options, [], [database, RecordFileFactory.For(".csv", basePath, FailingWhenAsked)], statistics, NullLogger.Instance);
        var expected = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 10; i++)
            {
                var payload = $"round {round} message {i}";
                expected.Add(payload);
                set.Append(Messages.Text("sensors/t", payload));
            }

            failCsv = round == 1;
            if (round == 1)
            {
                Assert.Throws<IOException>(set.Commit);
                set.Abandon();
                set.ReplayAndCommit();
            }
            else
            {
                set.Commit();
            }
        }

        set.Dispose();
        Assert.That(DatabaseRows.ReadSqlite(basePath + ".db").Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(expected), "SQLite");
        Assert.That(RecordedFiles.ReadCsv(basePath + ".csv").Select(r => r.PayloadText), Is.EqualTo(expected), "CSV");
        Assert.That(statistics.Recorded, Is.EqualTo(30));
    }

    [Test]
    public void A_database_failing_after_a_file_was_written_replays_both_without_duplicates()
    {
        var basePath = Temp.Combine("mqtt_data");
        var options = RecorderRun.OptionsFor(basePath, "csv,sqlite");
        var database = new SqliteRecordOutput(basePath + ".db");
        using var set = new RecordOutputSet(options, [RecordFileFactory.For(".csv", basePath, FailingWhenAsked)], [database], new RecorderStatistics(), NullLogger.Instance);
        set.Append(Messages.Text("sensors/t", "1"));
        set.Commit();
        set.Append(Messages.Text("sensors/t", "2"));

        // Someone drops the table: the database's transaction fails after the CSV was written.
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={basePath}.db;Pooling=False"))
        {
            other.Open();
            using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE messages";
            drop.ExecuteNonQuery();
        }

        Assert.That(set.Commit, Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>());
        set.Abandon();
        set.ReplayAndCommit(); // reconnecting creates the table again
        set.Dispose();

        Assert.That(RecordedFiles.ReadCsv(basePath + ".csv").Select(r => r.PayloadText), Is.EqualTo(new[] { "1", "2" }), "CSV truncated back and written again, once");
        Assert.That(DatabaseRows.ReadSqlite(basePath + ".db").Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "2" }), "the new table gets the replayed batch");
    }

    private void FailingWhenAsked(SafeFileHandle file, ReadOnlySpan<byte> bytes, long fileOffset)
    {
        if (failCsv)
        {
            failCsv = false;
            throw new IOException("No space left on device (simulated)");
        }

        RandomAccess.Write(file, bytes, fileOffset);
    }
}

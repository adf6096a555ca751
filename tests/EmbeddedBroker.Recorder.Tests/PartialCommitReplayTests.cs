using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// A commit writes every file, then marks them all committed. When one file's write fails after another's succeeded
/// (a full disk: found by filling a 3 MB tmpfs, where the CSV lost a whole batch), the recovery truncates every file
/// back to its committed length and writes every batch again: each record ends up in each file exactly once.
/// </summary>
public sealed class PartialCommitReplayTests
{
    private TempFolder temp = null!;
    private bool failJsonWrite;

    [SetUp]
    public void SetUp() => temp = new TempFolder();

    [TearDown]
    public void TearDown() => temp.Dispose();

    [TestCase(false, true, TestName = "A_file_written_before_another_file_failed_gets_its_batch_again_buffered")]
    [TestCase(true, true, TestName = "A_file_written_before_another_file_failed_gets_its_batch_again_direct")]
    [TestCase(false, false, TestName = "A_first_batch_written_before_another_file_failed_is_not_duplicated_buffered")]
    [TestCase(true, false, TestName = "A_first_batch_written_before_another_file_failed_is_not_duplicated_direct")]
    public void Every_record_is_in_every_file_exactly_once_after_a_commit_that_failed_half_way(bool directWrites, bool earlierCommit)
    {
        var basePath = temp.Combine("mqtt_data");
        // JSON Lines first: a new .jsonl file is empty, so its committed length is 0 until the first commit.
        RecordFile[] sinks =
        [
            RecordFileFactory.For(".jsonl", basePath, Write, directWrites),
            RecordFileFactory.For(".csv", basePath, Write, directWrites),
            RecordFileFactory.For(".json", basePath, FailingWhenAsked, directWrites),
        ];
        var records = new MessageRecordFactory();
        var sent = new List<MqttApplicationMessage>();
        foreach (var sink in sinks)
        {
            sink.Open();
        }

        if (earlierCommit)
        {
            Append(sinks, records, sent, 3);
            Commit(sinks);
        }

        Append(sinks, records, sent, 50);
        failJsonWrite = true;
        Assert.Throws<IOException>(() => Commit(sinks), "the JSON write fails after the JSON Lines and CSV writes succeeded");

        // What the recorder's recovery does (RecordOutputSet.Abandon, then ReplayAndCommit).
        foreach (var sink in sinks)
        {
            sink.Abandon();
        }

        foreach (var sink in sinks)
        {
            sink.Open();
        }

        Commit(sinks);
        Append(sinks, records, sent, 2);
        Commit(sinks);

        var expected = sent.Select(m => Encoding.UTF8.GetString(m.Payload.Span)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Payloads(RecordedFiles.ReadJsonLines(basePath + ".jsonl")), Is.EqualTo(expected), "JSON Lines");
            Assert.That(Payloads(RecordedFiles.ReadCsv(basePath + ".csv")), Is.EqualTo(expected), "CSV");
            Assert.That(Payloads(RecordedFiles.ReadJsonArray(basePath + ".json")), Is.EqualTo(expected), "JSON");
        });

        foreach (var sink in sinks)
        {
            sink.Dispose();
        }
    }

    private static void Append(RecordFile[] sinks, MessageRecordFactory records, List<MqttApplicationMessage> sent, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var message = Messages.Text("sensors/room1/temperature", $"{sent.Count}, \"reading\" {new string('7', sent.Count % 50)}");
            sent.Add(message);
            var record = records.Create(message);
            foreach (var sink in sinks)
            {
                sink.Write(record);
            }
        }
    }

    /// <summary>The commit protocol of RecordOutputSet: flush every file, then mark them all committed.</summary>
    private static void Commit(RecordFile[] sinks)
    {
        foreach (var sink in sinks)
        {
            sink.Flush();
        }

        foreach (var sink in sinks)
        {
            sink.MarkCommitted();
        }
    }

    private static List<string> Payloads(List<ReadRecord> read) => [.. read.Select(r => Encoding.UTF8.GetString(r.Payload))];

    private static void Write(SafeFileHandle file, ReadOnlySpan<byte> bytes, long fileOffset) => RandomAccess.Write(file, bytes, fileOffset);

    private void FailingWhenAsked(SafeFileHandle file, ReadOnlySpan<byte> bytes, long fileOffset)
    {
        if (failJsonWrite)
        {
            failJsonWrite = false;
            throw new IOException("No space left on device (simulated)");
        }

        RandomAccess.Write(file, bytes, fileOffset);
    }
}

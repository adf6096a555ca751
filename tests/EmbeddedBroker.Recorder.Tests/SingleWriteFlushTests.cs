using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// A flush reaches the file as ONE positional write, and nothing reaches it between flushes: a kill -9 at any moment
/// therefore finds the file as a flush left it (complete records; for JSON a closed array), never half a batch.
/// </summary>
public sealed class SingleWriteFlushTests
{
    private const int RecordsPerFlush = 2_000; // ~400 KB per flush: far more than any stream or format buffer

    private readonly List<(long Offset, int Length)> writes = [];
    private TempFolder temp = null!;

    [SetUp]
    public void SetUp()
    {
        temp = new TempFolder();
        writes.Clear();
    }

    [TearDown]
    public void TearDown() => temp.Dispose();

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    public void Each_flush_is_one_positional_write_and_the_file_is_untouched_between_flushes(string extension)
    {
        using var sink = CreateSink(extension);
        sink.Open();
        var records = new MessageRecordFactory();
        for (var flush = 1; flush <= 3; flush++)
        {
            var before = RecordedFiles.ReadBytes(sink.FilePath);
            for (var i = 0; i < RecordsPerFlush; i++)
            {
                sink.Write(records.Create(Message(flush, i)));
            }

            Assert.That(RecordedFiles.ReadBytes(sink.FilePath), Is.EqualTo(before), "nothing is written before the flush");

            writes.Clear();
            sink.Flush();
            sink.MarkCommitted();

            Assert.That(writes, Has.Count.EqualTo(1), "one write per flush");
            var expectedOffset = extension == ".json" ? before.Length - 2 : before.Length; // JSON overwrites its closing "\n]"
            Assert.That(writes[0].Offset, Is.EqualTo(expectedOffset));
            Assert.That(RecordedFiles.ReadPayloads(extension, sink.FilePath), Has.Count.EqualTo(flush * RecordsPerFlush), "the file parses after the write");
        }
    }

    [Test]
    public void Json_batch_ends_with_the_closing_bracket_so_the_array_is_valid_before_and_after_the_write()
    {
        using var sink = CreateSink(".json");
        sink.Open();
        var records = new MessageRecordFactory();
        sink.Write(records.Create(Message(1, 1)));
        sink.Flush();

        var text = Encoding.UTF8.GetString(RecordedFiles.ReadBytes(sink.FilePath));
        Assert.That(text, Does.StartWith("[\n{").And.EndWith("}\n]"));
        Assert.That(writes[0].Length, Is.EqualTo(text.Length - 1), "the write covers everything after '[' including the new \"\\n]\"");
    }

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    public void A_failed_flush_keeps_the_batch_and_writes_it_once_after_reopening_even_into_a_recreated_file(string extension)
    {
        using var sink = CreateSink(extension);
        sink.Open();
        var records = new MessageRecordFactory();
        sink.Write(records.Create(Message(1, 1)));
        sink.Flush();
        sink.MarkCommitted();

        sink.Write(records.Create(Message(2, 1)));
        sink.Write(records.Create(Message(2, 2)));
        failNextWrite = true;
        Assert.Throws<IOException>(sink.Flush);
        sink.Abandon();
        File.Delete(sink.FilePath); // e.g. moved away by an operator while the disk was failing

        sink.Open();
        sink.Flush();

        var payloads = RecordedFiles.ReadPayloads(extension, sink.FilePath).Select(Encoding.UTF8.GetString);
        Assert.That(payloads, Is.EqualTo(new[] { Message(2, 1), Message(2, 2) }.Select(m => Encoding.UTF8.GetString(m.Payload.Span))));
    }

    private RecordFile CreateSink(string extension) => RecordFileFactory.For(extension, temp.Combine("mqtt_data"), CountingWrite);

    private bool failNextWrite;

    private void CountingWrite(SafeFileHandle file, ReadOnlySpan<byte> bytes, long fileOffset)
    {
        if (failNextWrite)
        {
            failNextWrite = false;
            throw new IOException("No space left on device (simulated)");
        }

        writes.Add((fileOffset, bytes.Length));
        RandomAccess.Write(file, bytes, fileOffset);
    }

    private static MqttApplicationMessage Message(int flush, int i) =>
        Messages.Text("sensors/room1/temperature", $"{flush}.{i}, \"quoted\"\nsecond line {new string('x', 120)}");
}

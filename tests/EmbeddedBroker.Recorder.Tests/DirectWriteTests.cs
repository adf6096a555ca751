using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// Direct I/O (O_DIRECT, Recorder:DirectWrites, on by default) changes how a batch reaches the disk, never what the
/// file holds: the same bytes as buffered writes after every flush, still one write per flush, a kill between the
/// write and the cut to the real end repaired at the next start, and a file system that refuses it gets buffered writes.
/// </summary>
public sealed class DirectWriteTests
{
    private static readonly int[] RecordsPerFlush = [1, 7, 300, 1, 2_000, 13, 40];

    private readonly List<(long Offset, int Length)> writes = [];
    private TempFolder temp = null!;
    private Func<long, int, Exception?> failWrite = (_, _) => null;

    [SetUp]
    public void SetUp()
    {
        Assume.That(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        temp = new TempFolder();
        writes.Clear();
        failWrite = (_, _) => null;
    }

    [TearDown]
    public void TearDown() => temp?.Dispose();

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    public void Direct_writes_leave_the_same_bytes_as_buffered_writes_after_every_flush(string extension)
    {
        using var direct = CreateSink(extension, "direct", directWrites: true);
        using var buffered = CreateSink(extension, "buffered", directWrites: false);
        direct.Open();
        buffered.Open();
        Assert.That(direct.IsDirect, Is.True, "the temp folder's file system takes O_DIRECT");
        Assert.That(buffered.IsDirect, Is.False);

        var directRecords = new MessageRecordFactory();
        var bufferedRecords = new MessageRecordFactory();
        var number = 0;
        foreach (var count in RecordsPerFlush)
        {
            for (var i = 0; i < count; i++, number++)
            {
                var message = Message(number);
                direct.Write(directRecords.Create(message));
                buffered.Write(bufferedRecords.Create(message));
            }

            direct.Flush();
            direct.MarkCommitted();
            buffered.Flush();
            buffered.MarkCommitted();
            Assert.That(RecordedFiles.ReadBytes(direct.FilePath), Is.EqualTo(RecordedFiles.ReadBytes(buffered.FilePath)),
                $"after the flush of {count} record(s)");
        }

        Assert.That(RecordedFiles.ReadPayloads(extension, direct.FilePath), Has.Count.EqualTo(number));
    }

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    public void A_direct_flush_is_one_block_aligned_write(string extension)
    {
        using var sink = CreateSink(extension, "direct", directWrites: true);
        sink.Open();
        var records = new MessageRecordFactory();
        var number = 0;
        foreach (var count in RecordsPerFlush)
        {
            for (var i = 0; i < count; i++)
            {
                sink.Write(records.Create(Message(number++)));
            }

            writes.Clear();
            sink.Flush();
            sink.MarkCommitted();
            Assert.That(writes, Has.Count.EqualTo(1), "one write per flush");
            Assert.That(writes[0].Offset % DirectIo.Alignment, Is.Zero, "offset on a block boundary");
            Assert.That(writes[0].Length % DirectIo.Alignment, Is.Zero, "whole blocks");
        }
    }

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    public void A_kill_between_the_direct_write_and_the_cut_leaves_padding_that_the_next_start_removes(string extension)
    {
        var sink = CreateSink(extension, "direct", directWrites: true);
        sink.Open();
        var records = new MessageRecordFactory();
        for (var i = 0; i < 10; i++)
        {
            sink.Write(records.Create(Message(i)));
        }

        sink.Flush();
        sink.MarkCommitted();
        var committed = RecordedFiles.ReadBytes(sink.FilePath);

        for (var i = 10; i < 15; i++)
        {
            sink.Write(records.Create(Message(i)));
        }

        // The write reaches the file, then the process "dies" before the file is cut back to its real end.
        failWrite = (_, _) => new OperationCanceledException("killed after the write");
        Assert.Throws<OperationCanceledException>(sink.Flush);
        sink.Dispose();
        var left = RecordedFiles.ReadBytes(sink.FilePath);
        Assert.That(left.Length % DirectIo.Alignment, Is.Zero, "the padded write is what the process left");
        Assert.That(left.Length, Is.GreaterThan(committed.Length));
        Assert.That(left[^1], Is.EqualTo((byte)'\n'));
        if (extension == ".json")
        {
            Assert.That(RecordedFiles.ReadJsonArray(sink.FilePath), Has.Count.EqualTo(15), "JSON stays valid: the padding is whitespace after ']'");
        }

        failWrite = (_, _) => null;
        using var restarted = CreateSink(extension, "direct", directWrites: true);
        restarted.Open();
        restarted.Write(records.Create(Message(15)));
        restarted.Flush();

        var text = Encoding.UTF8.GetString(RecordedFiles.ReadBytes(restarted.FilePath));
        Assert.That(text, Does.Not.Contain("\n\n"), "no blank line left by the padding");
        var expected = Enumerable.Range(0, 16).Select(i => Encoding.UTF8.GetString(Message(i).Payload.Span));
        Assert.That(RecordedFiles.ReadPayloads(extension, restarted.FilePath).Select(Encoding.UTF8.GetString), Is.EqualTo(expected));
    }

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    public void A_file_system_that_refuses_direct_writes_gets_buffered_writes_and_loses_nothing(string extension)
    {
        using var sink = CreateSink(extension, "refused", directWrites: true);
        sink.Open();
        Assert.That(sink.IsDirect, Is.True);
        failWrite = (offset, length) => offset % DirectIo.Alignment == 0 && length % DirectIo.Alignment == 0
            ? new IOException("Invalid argument (simulated file system without direct I/O)", 22)
            : null;
        var records = new MessageRecordFactory();
        for (var i = 0; i < 20; i++)
        {
            sink.Write(records.Create(Message(i)));
            sink.Flush();
            sink.MarkCommitted();
        }

        Assert.That(sink.IsDirect, Is.False, "switched to buffered writes");
        Assert.That(RecordedFiles.ReadPayloads(extension, sink.FilePath), Has.Count.EqualTo(20));
    }

    private RecordFile CreateSink(string extension, string folder, bool directWrites) =>
        RecordFileFactory.For(extension, temp.Combine(Path.Combine(folder, "mqtt_data")), RecordingWrite, directWrites);

    private void RecordingWrite(SafeFileHandle file, ReadOnlySpan<byte> bytes, long fileOffset)
    {
        var failure = failWrite(fileOffset, bytes.Length);
        if (failure is IOException)
        {
            throw failure; // refused before anything is written, as the kernel does
        }

        writes.Add((fileOffset, bytes.Length));
        RandomAccess.Write(file, bytes, fileOffset);
        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>Sizes vary so that batches end at every kind of place inside a block; some need CSV quoting or JSON escaping.</summary>
    private static MqttApplicationMessage Message(int number) =>
        Messages.Text($"sensors/room{number % 3}/temperature", number % 5 == 0
            ? $"{number}, \"quoted\"\nsecond line {new string('x', number % 97)}"
            : $"{number}:{new string('7', (number * 37) % 211)}");
}

using System.Buffers;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Sinks;

/// <summary>
/// One output file (CSV, JSON array or JSON Lines) that is appended to, flushed, committed and rotated.
/// <para>
/// One write per flush: records are formatted into an in-memory batch (a buffer reused across flushes) and
/// <see cref="Flush"/> hands the whole batch to the file in ONE positional write (pwrite). Between flushes nothing
/// touches the file, so a <c>kill -9</c> finds it exactly as the last flush left it: complete records only, and for
/// JSON a closed array (the batch overwrites the old closing "\n]" and ends with a new one). A process kill does not
/// tear a single write to a local file in practice (Linux only checks for fatal signals between pages of one write,
/// a window of microseconds while the batch is copied to the page cache). There is no fsync: a power loss or kernel
/// crash can still leave a torn tail, which the repair in <see cref="Open"/> removes at the next start.
/// </para>
/// <para>
/// Commit protocol: the writer calls <see cref="Flush"/> on every sink and only then <see cref="MarkCommitted"/> on
/// every sink. If anything fails in between, the writer calls <see cref="Abandon"/> and later <see cref="Open"/>, which
/// truncates the file back to the committed length, then <see cref="Flush"/> again: the batch survives the failure, so
/// the same bytes are written once more and nothing is duplicated. Keeping the formatted batch (not the messages) for
/// that replay lets a message be collected as soon as it is formatted, instead of surviving into older GC generations.
/// </para>
/// Not thread-safe: only the writer loop touches a sink.
/// </summary>
internal abstract class RecordFileSink : IDisposable
{
    /// <summary>A batch buffer that grew beyond this (a huge message) is released after its flush instead of being kept.</summary>
    private const int MaxRetainedBatchCapacity = 32 * 1024 * 1024;

    private readonly PositionalWrite positionalWrite;
    private ArrayBufferWriter<byte> batch = new(64 * 1024);

    /// <summary>Staging buffer and tail for direct writes, kept across reopenings and rotations (created on first use).</summary>
    private DirectAppend? directAppend;

    /// <summary>The file is open in direct I/O mode (see <see cref="DirectWrites"/>).</summary>
    private bool direct;

    /// <summary>A direct write succeeded on this sink: later failures are real I/O errors, not a refusal of direct I/O.</summary>
    private bool directWorked;

    /// <summary>The file system accepted direct I/O but refused a direct write: this sink writes buffered from then on.</summary>
    private bool directRefused;
    private SafeFileHandle? handle;
    private bool disposed;

    /// <summary>The format completed the batch (<see cref="FinishBatch"/>) for a write that has not succeeded yet.</summary>
    private bool batchFinished;

    /// <summary>The batch reached the file and waits for <see cref="MarkCommitted"/> (kept for a replay until then).</summary>
    private bool batchWritten;

    /// <summary><see cref="CommittedLength"/> describes this file (it was opened before): a reopening truncates to it.</summary>
    private bool openedBefore;

    /// <summary>Which file the handle refers to, to notice that it was deleted or moved away (<see cref="ReopenIfMovedOrDeleted"/>).</summary>
    private OpenFileIdentity openedFile;

    /// <summary>Where the next batch is written: the end of the file, or for JSON the start of the closing "\n]".</summary>
    private long writeOffset;

    /// <summary>Length of the file after the last write that reached it.</summary>
    private long fileLength;

    protected RecordFileSink(string path, string extension, ILogger logger, PositionalWrite? positionalWrite = null)
    {
        BasePath = path;
        Extension = extension;
        FilePath = path + extension;
        Logger = logger;
        this.positionalWrite = positionalWrite ?? RandomAccess.Write;
    }

    /// <summary>
    /// Write the batches with direct I/O (bypassing the page cache) where the platform and file system allow it; see
    /// <see cref="DirectIo"/>. Falls back to buffered writes by itself.
    /// </summary>
    public bool DirectWrites { get; init; }

    /// <summary>True while the file is open in direct I/O mode.</summary>
    public bool IsDirect => direct;

    /// <summary>Output base path without extension (from the options).</summary>
    public string BasePath { get; }

    /// <summary>Extension with its dot: ".csv", ".json", ".jsonl".</summary>
    public string Extension { get; }

    /// <summary>The active file, always at the same path; rotated files are renamed away from it.</summary>
    public string FilePath { get; }

    public bool IsOpen => handle is not null;

    /// <summary>Length of the file after the last successful commit (0 before the first one).</summary>
    public long CommittedLength { get; private set; }

    /// <summary>True when the active file holds at least one record.</summary>
    public bool HasRecords { get; protected set; }

    /// <summary>UTC day of the records in the active file (null while it holds none).</summary>
    public DateOnly? FileDay { get; private set; }

    /// <summary>Bytes formatted since the last flush (kept in memory until then).</summary>
    public int PendingBytes => batch.WrittenCount;

    protected ILogger Logger { get; }

    /// <summary>The batch the formats write records into; written to the file at <see cref="Flush"/>.</summary>
    protected ArrayBufferWriter<byte> Batch => batch;

    /// <summary>Bytes at the end of the file that every batch overwrites and ends with again (JSON: "\n]").</summary>
    protected virtual int TrailerLength => 0;

    /// <summary>Creates the folder and the file if needed, repairs a torn tail left by a crash and positions for append.</summary>
    public void Open()
    {
        if (handle is not null)
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        long length;
        DateOnly? lastWriteDay;

        // Crash repair and the file start use an ordinary stream; the appends that follow use positional writes.
        using (var file = OpenStream())
        {
            if (openedBefore && file.Length > CommittedLength)
            {
                // Reopening after a failed write: drop whatever part of the uncommitted batch reached the file; it is replayed.
                file.SetLength(CommittedLength);
            }

            lastWriteDay = file.Length > 0 ? DateOnly.FromDateTime(File.GetLastWriteTimeUtc(FilePath)) : null;
            if (!OpenCore(file))
            {
                // Not a file this recorder wrote (e.g. the old Python script's export): keep it, start a new one beside it.
                file.Dispose();
                var movedTo = MoveAside();
                Logger.LogWarning("Recorder: {File} is not in the recorder's format; moved it to {MovedTo} and started a new file", FilePath, movedTo);
                using var fresh = OpenStream();
                lastWriteDay = null;
                if (!OpenCore(fresh))
                {
                    throw new InvalidDataException($"{FilePath} could not be initialised.");
                }

                length = fresh.Length;
            }
            else
            {
                length = file.Length;
            }
        }

        handle = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        openedFile = OpenFileIdentity.Of(handle);
        fileLength = length;
        writeOffset = length - TrailerLength;
        direct = DirectWrites && !directRefused && DirectIo.TryEnable(handle);
        if (direct)
        {
            directAppend ??= new DirectAppend();
            using var reader = OpenStream();
            directAppend.LoadTail(reader, writeOffset);
        }

        CommittedLength = length;
        openedBefore = true;
        batchWritten = false; // the file ends at the committed length again: a kept batch must be written again
        HasRecords |= batch.WrittenCount > 0; // a batch kept for the replay
        FileDay = HasRecords ? FileDay ?? lastWriteDay : null;
    }

    /// <summary>
    /// Starts a new file at <see cref="FilePath"/> when the open one was deleted or moved away (an operator's rm,
    /// logrotate); otherwise every later record would go to a file nobody sees. The old file keeps what was committed
    /// to it; the batch not yet written goes to the new one. Called before each commit; returns true when it reopened.
    /// </summary>
    public bool ReopenIfMovedOrDeleted()
    {
        if (handle is null || !openedFile.WasMovedOrDeleted(handle, FilePath))
        {
            return false;
        }

        CloseHandle(); // keeps the batch
        openedBefore = false; // CommittedLength described the old file: whatever is at the path now is not truncated to it
        CommittedLength = 0;
        HasRecords = false;
        FileDay = null;
        Open();
        Logger.LogWarning("Recorder: {File} was deleted or moved away while being written; started a new file at that path", FilePath);
        return true;
    }

    /// <summary>Treats the active file as holding records of <paramref name="day"/> (a rotation that failed).</summary>
    public void AdoptDay(DateOnly day) => FileDay = day;

    /// <summary>Formats one record into the batch (nothing reaches the file before <see cref="Flush"/>).</summary>
    public void Write(in MessageRecord record)
    {
        if (batchWritten)
        {
            // Records added now would be lost: the written batch is replayed as it was, or released at the commit.
            throw new InvalidOperationException($"{FilePath}: a flushed batch must be committed (MarkCommitted) before new records are written.");
        }

        WriteCore(record);
        HasRecords = true;
        FileDay ??= record.Day;
    }

    /// <summary>
    /// Hands the batch to the operating system in one positional write; the file stays complete (parseable).
    /// The batch is kept until <see cref="MarkCommitted"/>: if this write or another file's fails, the writer
    /// reopens every file (<see cref="Open"/> truncates it back to the committed length) and the next call writes the
    /// batch again. Calling it again before that changes nothing: the batch is in the file already.
    /// </summary>
    public void Flush()
    {
        var file = handle ?? throw new InvalidOperationException($"{FilePath} is not open.");
        if (batchWritten)
        {
            return;
        }

        if (!batchFinished)
        {
            FinishBatch();
            batchFinished = true;
        }

        if (batch.WrittenCount > 0)
        {
            var bytes = PrepareWrite(GetWrittenBytes());
            fileLength = direct ? DirectWrite(file, bytes) : BufferedWrite(file, bytes);
            writeOffset = fileLength - TrailerLength;
            OnFlushed();
        }

        batchWritten = true;
    }

    /// <summary>Writes at the append position through the page cache; returns the new file length.</summary>
    private long BufferedWrite(SafeFileHandle file, ReadOnlySpan<byte> bytes)
    {
        positionalWrite(file, bytes, writeOffset);
        return writeOffset + bytes.Length;
    }

    private long DirectWrite(SafeFileHandle file, ReadOnlySpan<byte> bytes)
    {
        const int InvalidArgument = 22; // EINVAL: what Linux answers when the file system cannot do this direct write
        try
        {
            var end = directAppend!.Write(file, bytes, writeOffset, TrailerLength, positionalWrite);
            directWorked = true;
            return end;
        }
        catch (IOException error) when (error.HResult == InvalidArgument && !directWorked)
        {
            // Nothing was written. Say it once and go on buffered: slower, but every record still lands.
            Logger.LogWarning("Recorder: the file system of {File} refuses direct writes ({Reason}); writing through the page cache instead",
                FilePath, error.Message);
            directRefused = true;
            direct = false;
            directAppend = null;
            DirectIo.Disable(file);
            var end = BufferedWrite(file, bytes);
            RandomAccess.SetLength(file, end);
            return end;
        }
    }

    /// <summary>Forgets the records formatted since the last commit (the recorder gave up on them).</summary>
    public void DiscardPending()
    {
        DiscardCore();
        batchFinished = false;
        batchWritten = false;
        ReleaseBatch();
    }

    /// <summary>
    /// Called once every sink flushed successfully: the records are now durable against a process crash, and only
    /// now is the batch released (until then a failure of another file replays it, see <see cref="Flush"/>).
    /// </summary>
    public void MarkCommitted()
    {
        CommittedLength = fileLength;
        batchFinished = false;
        batchWritten = false;
        ReleaseBatch();
    }

    /// <summary>Closes after a failure, keeping the batch for the replay; <see cref="Open"/> truncates back to the committed length.</summary>
    public void Abandon() => CloseHandle();

    /// <summary>Renames the (committed, flushed) active file to <paramref name="rotatedPath"/> and starts a new one.</summary>
    public void Rotate(string rotatedPath)
    {
        Close();
        File.Move(FilePath, rotatedPath);
        CommittedLength = 0;
        HasRecords = false;
        FileDay = null;
        Open();
    }

    /// <summary>Closes the file; it is complete as the last flush left it (records not flushed are not written).</summary>
    public void Close()
    {
        try
        {
            DiscardPending();
        }
        finally
        {
            CloseHandle();
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return; // the writer loop and the host may both dispose
        }

        disposed = true;
        try
        {
            Close();
        }
        finally
        {
            DisposeCore();
        }
    }

    /// <summary>Releases what the sink keeps across files (format writers).</summary>
    protected virtual void DisposeCore()
    {
    }

    /// <summary>
    /// Repairs the tail of <paramref name="file"/> (a record torn by a crash), writes the file start when it is new
    /// and sets <see cref="HasRecords"/>; the file must end where the next batch goes (plus <see cref="TrailerLength"/>).
    /// Returns false when the file is not in this format.
    /// </summary>
    protected abstract bool OpenCore(FileStream file);

    /// <summary>
    /// Removes the '\n' padding of a direct write that the process did not finish (see <see cref="DirectAppend"/>).
    /// Formats call it once they know the file is theirs; the JSON array needs no call (whitespace after ']' is valid).
    /// </summary>
    protected void RemoveDirectWritePadding(FileStream file)
    {
        var removed = FileTail.RemoveNewlinePadding(file);
        if (removed > 0)
        {
            Logger.LogWarning("Recorder: {File} ended with {Bytes} bytes of padding from a write the process did not finish; removed them", FilePath, removed);
        }
    }

    /// <summary>Formats one record into <see cref="Batch"/>.</summary>
    protected abstract void WriteCore(in MessageRecord record);

    /// <summary>Completes the batch before it is written (push out format buffers; JSON appends the closing "\n]").</summary>
    protected virtual void FinishBatch()
    {
    }

    /// <summary>Drops whatever the format holds that was not flushed.</summary>
    protected virtual void DiscardCore()
    {
    }

    /// <summary>The bytes to write for the finished batch (JSON fixes its first separator to the file's state here).</summary>
    protected virtual ReadOnlySpan<byte> PrepareWrite(Span<byte> finishedBatch) => finishedBatch;

    /// <summary>The batch reached the file.</summary>
    protected virtual void OnFlushed()
    {
    }

    private Span<byte> GetWrittenBytes() => System.Runtime.InteropServices.MemoryMarshal.AsMemory(batch.WrittenMemory).Span;

    private void ReleaseBatch()
    {
        if (batch.Capacity > MaxRetainedBatchCapacity)
        {
            batch = new ArrayBufferWriter<byte>(64 * 1024);
            OnBatchReplaced();
        }
        else
        {
            batch.ResetWrittenCount();
        }
    }

    /// <summary>The batch buffer was replaced (after a huge batch); formats that hold it must take the new one.</summary>
    protected virtual void OnBatchReplaced()
    {
    }

    private void CloseHandle()
    {
        var file = handle;
        handle = null;
        file?.Dispose();
    }

    private FileStream OpenStream() =>
        new(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096);

    private string MoveAside()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var target = RotationNames.FirstFree(BasePath + ".moved-" + stamp, Extension);
        File.Move(FilePath, target);
        return target;
    }
}

using EmbeddedBroker.Recorder.Formats;
using EmbeddedBroker.Recorder.Outputs;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// One output file (CSV, JSON array or JSON Lines): its <see cref="IRecordFormat"/>, the <see cref="AppendOnlyFile"/>
/// it is written to and the <see cref="RecordBatch"/> of records formatted since the last commit.
/// <para>
/// One write per flush: records are formatted into the batch and <see cref="Flush"/> hands the whole batch to the file
/// in ONE positional write (pwrite). Between flushes nothing touches the file, so a <c>kill -9</c> finds it exactly as
/// the last flush left it: complete records only, and for JSON a closed array (the batch overwrites the old closing
/// "\n]" and ends with a new one). A process kill does not tear a single write to a local file in practice (Linux only
/// checks for fatal signals between pages of one write, a window of microseconds while the batch is copied to the page
/// cache). There is no fsync: a power loss or kernel crash can still leave a torn tail, which the format's repair in
/// <see cref="Open"/> removes at the next start.
/// </para>
/// The batch is kept until <see cref="MarkCommitted"/>, so that a failure of this or another file replays it (the commit
/// protocol is <see cref="RecordOutputSet"/>'s). Keeping the formatted batch (not the messages) for that replay lets a
/// message be collected as soon as it is formatted. Not thread-safe: only the writer loop touches a file.
/// </summary>
internal sealed class RecordFile : IRecordOutput
{
    private readonly IRecordFormat format;
    private readonly AppendOnlyFile file;
    private readonly ILogger logger;
    private readonly RecordBatch batch = new();
    private BatchState state;

    /// <summary>The file itself (not the batch) holds a record: decides how a format starts the batch when it is written.</summary>
    private bool fileHasRecords;

    /// <summary>The batch holds a record (some may still be buffered by the format).</summary>
    private bool batchHasRecords;
    private bool disposed;

    public RecordFile(IRecordFormat format, string basePath, bool directWrites, ILogger logger, PositionalWrite? positionalWrite = null)
    {
        this.format = format;
        this.logger = logger;
        file = new AppendOnlyFile(basePath, format.Extension, format.TrailerLength, directWrites, logger, positionalWrite);
    }

    /// <summary>Where the batch is between two commits.</summary>
    private enum BatchState
    {
        /// <summary>Records are added.</summary>
        Filling,

        /// <summary>The format finished the batch for a write that has not succeeded yet.</summary>
        Finished,

        /// <summary>The batch is in the file and waits for <see cref="MarkCommitted"/> (kept for a replay until then).</summary>
        Written,
    }

    /// <summary>Output base path without extension (from the options).</summary>
    public string BasePath => file.BasePath;

    /// <summary>Extension with its dot: ".csv", ".json", ".jsonl".</summary>
    public string Extension => file.Extension;

    /// <summary>The active file, always at the same path; rotated files are renamed away from it.</summary>
    public string FilePath => file.Path;

    public string Name => file.Path;

    public bool IsOpen => file.IsOpen;

    /// <summary>True while the file is open in direct I/O mode.</summary>
    public bool IsDirect => file.IsDirect;

    /// <summary>Length of the file after the last successful commit.</summary>
    public long CommittedLength => file.CommittedLength;

    /// <summary>True when the active file or the batch bound for it holds at least one record.</summary>
    public bool HasRecords => fileHasRecords || batchHasRecords;

    /// <summary>UTC day of the records in the active file (null while it holds none).</summary>
    public DateOnly? FileDay { get; private set; }

    /// <summary>Bytes formatted since the last flush (kept in memory until then).</summary>
    public int PendingBytes => batch.Length;

    /// <summary>
    /// Opens the file (creating it and its folder), truncated back to the committed length after a failure, repaired by
    /// the format, and positioned for append. A file not in the format is moved aside and a new one started.
    /// </summary>
    public void Open()
    {
        if (file.IsOpen)
        {
            return;
        }

        var length = Repair(out var lastWriteDay);
        file.StartAppending(length);
        if (state == BatchState.Written)
        {
            state = BatchState.Finished; // the file ends at the committed length again: the kept batch must be written again
        }

        FileDay = HasRecords ? FileDay ?? lastWriteDay : null;
    }

    /// <summary>
    /// Starts a new file at <see cref="FilePath"/> when the open one was deleted or moved away (an operator's rm,
    /// logrotate); otherwise every later record would go to a file nobody sees. The old file keeps what was committed
    /// to it; the batch not yet written goes to the new one. Called before each commit; returns true when it reopened.
    /// </summary>
    public bool ReopenIfMovedOrDeleted()
    {
        if (!file.WasMovedOrDeleted())
        {
            return false;
        }

        file.CloseAndForget(); // keeps the batch
        StartOver();
        logger.LogWarning("Recorder: {File} was deleted or moved away while being written; started a new file at that path", FilePath);
        return true;
    }

    /// <summary>Treats the active file as holding records of <paramref name="day"/> (a rotation that failed).</summary>
    public void AdoptDay(DateOnly day) => FileDay = day;

    /// <summary>Formats one record into the batch (nothing reaches the file before <see cref="Flush"/>).</summary>
    public void Write(in MessageRecord record)
    {
        if (state != BatchState.Filling)
        {
            // Records added now would be lost: the finished batch is written as it is, or released at the commit.
            throw new InvalidOperationException($"{FilePath}: a flushed batch must be committed (MarkCommitted) before new records are written.");
        }

        format.Write(batch, record);
        batchHasRecords = true;
        FileDay ??= record.Day;
    }

    /// <summary>Files keep messages only: delivery receipts go to the databases.</summary>
    public void WriteDelivery(in DeliveryRecord delivery)
    {
    }

    /// <summary>
    /// Hands the batch to the operating system in one positional write; the file stays complete (parseable).
    /// A file deleted or moved away since the last commit is started again at its path first.
    /// The batch is kept until <see cref="MarkCommitted"/>: if this write or another file's fails, the writer reopens
    /// every file (<see cref="Open"/> truncates it back to the committed length) and the next call writes the batch
    /// again. Calling it again before that changes nothing: the batch is in the file already.
    /// </summary>
    public void Flush()
    {
        if (!file.IsOpen)
        {
            throw new InvalidOperationException($"{FilePath} is not open.");
        }

        ReopenIfMovedOrDeleted();
        if (state == BatchState.Filling)
        {
            format.Finish(batch);
            state = BatchState.Finished;
        }

        if (state == BatchState.Finished && batch.Length > 0)
        {
            file.Append(format.BytesToAppend(batch.Bytes, fileHasRecords));
            fileHasRecords = true;
        }

        state = BatchState.Written;
    }

    /// <summary>
    /// Called once every file flushed successfully: the records are now durable against a process crash, and only
    /// now is the batch released (until then a failure of another file replays it, see <see cref="Flush"/>).
    /// </summary>
    public void MarkCommitted()
    {
        file.MarkCommitted();
        ClearBatch();
    }

    /// <summary>Forgets the records formatted since the last commit (the recorder gave up on them).</summary>
    public void DiscardPending()
    {
        if (state == BatchState.Filling)
        {
            format.Finish(batch); // what the format still buffers belongs to the discarded batch
        }

        ClearBatch();
    }

    /// <summary>Closes after a failure, keeping the batch for the replay; <see cref="Open"/> truncates back to the committed length.</summary>
    public void Abandon() => file.Close();

    /// <summary>Renames the (committed, flushed) active file to <paramref name="rotatedPath"/> and starts a new one.</summary>
    public void Rotate(string rotatedPath)
    {
        DiscardPending();
        file.MoveTo(rotatedPath);
        StartOver();
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
            file.Close();
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
            format.Dispose();
        }
    }

    /// <summary>Lets the format check and repair the file; returns its length. Another program's file is moved aside first.</summary>
    private long Repair(out DateOnly? lastWriteDay)
    {
        using (var existing = file.OpenForRepair())
        {
            lastWriteDay = existing.Length > 0 ? file.LastWriteDay : null;
            if (format.TryRepair(existing, out fileHasRecords))
            {
                return existing.Length;
            }
        }

        // Not a file this recorder wrote (e.g. the old Python script's export): keep it, start a new one beside it.
        var movedTo = file.MoveAside();
        logger.LogWarning("Recorder: {File} is not in the recorder's format; moved it to {MovedTo} and started a new file", FilePath, movedTo);
        lastWriteDay = null;
        using var fresh = file.OpenForRepair();
        return format.TryRepair(fresh, out fileHasRecords) ? fresh.Length : throw new InvalidDataException($"{FilePath} could not be initialised.");
    }

    /// <summary>A new file is started at the path (after a move or a rotation): open it with the batch kept.</summary>
    private void StartOver()
    {
        fileHasRecords = false;
        FileDay = null;
        Open();
    }

    private void ClearBatch()
    {
        batch.Clear();
        batchHasRecords = false;
        state = BatchState.Filling;
    }
}

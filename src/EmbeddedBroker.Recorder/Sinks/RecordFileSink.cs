using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Sinks;

/// <summary>
/// One output file (CSV, JSON array or JSON Lines) that is appended to, flushed, committed and rotated.
/// <para>
/// Commit protocol: the writer calls <see cref="Flush"/> on every sink and only then <see cref="MarkCommitted"/> on
/// every sink. If anything fails in between, the writer calls <see cref="Abandon"/> and later <see cref="Open"/>, which
/// truncates the file back to the committed length, so replaying the uncommitted messages never duplicates them.
/// </para>
/// Not thread-safe: only the writer loop touches a sink.
/// </summary>
internal abstract class RecordFileSink : IDisposable
{
    protected const int FileBufferSize = 64 * 1024;

    private FileStream? stream;

    protected RecordFileSink(string path, string extension, ILogger logger)
    {
        BasePath = path;
        Extension = extension;
        FilePath = path + extension;
        Logger = logger;
    }

    /// <summary>Output base path without extension (from the options).</summary>
    public string BasePath { get; }

    /// <summary>Extension with its dot: ".csv", ".json", ".jsonl".</summary>
    public string Extension { get; }

    /// <summary>The active file, always at the same path; rotated files are renamed away from it.</summary>
    public string FilePath { get; }

    public bool IsOpen => stream is not null;

    /// <summary>Length of the file after the last successful commit (0 before the first one).</summary>
    public long CommittedLength { get; private set; }

    /// <summary>True when the active file holds at least one record.</summary>
    public bool HasRecords { get; protected set; }

    /// <summary>UTC day of the records in the active file (null while it holds none).</summary>
    public DateOnly? FileDay { get; private set; }

    protected ILogger Logger { get; }

    protected FileStream Stream => stream ?? throw new InvalidOperationException($"{FilePath} is not open.");

    /// <summary>Creates the folder and the file if needed, repairs a torn tail left by a crash and positions for append.</summary>
    public void Open()
    {
        if (stream is not null)
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var file = OpenFile();
        try
        {
            if (CommittedLength > 0 && file.Length > CommittedLength)
            {
                // Reopening after a failed write: drop whatever part of the uncommitted batch reached the file; it is replayed.
                file.SetLength(CommittedLength);
            }

            var lastWriteDay = file.Length > 0 ? DateOnly.FromDateTime(File.GetLastWriteTimeUtc(FilePath)) : (DateOnly?)null;
            if (!OpenCore(file))
            {
                // Not a file this recorder wrote (e.g. the old Python script's export): keep it, start a new one beside it.
                file.Dispose();
                var movedTo = MoveAside();
                Logger.LogWarning("Recorder: {File} is not in the recorder's format; moved it to {MovedTo} and started a new file", FilePath, movedTo);
                file = OpenFile();
                lastWriteDay = null;
                if (!OpenCore(file))
                {
                    throw new InvalidDataException($"{FilePath} could not be initialised.");
                }
            }

            file.Flush();
            stream = file;
            CommittedLength = file.Length;
            FileDay = HasRecords ? FileDay ?? lastWriteDay : null;
        }
        catch
        {
            DisposeQuietly(file);
            throw;
        }
    }

    /// <summary>Treats the active file as holding records of <paramref name="day"/> (a rotation that failed).</summary>
    public void AdoptDay(DateOnly day) => FileDay = day;

    /// <summary>Buffers one record (the file may be written when buffers fill; nothing is committed).</summary>
    public void Write(in MessageRecord record)
    {
        WriteCore(record);
        HasRecords = true;
        FileDay ??= record.Day;
    }

    /// <summary>Hands everything buffered to the operating system and leaves the file complete (parseable).</summary>
    public void Flush() => FlushCore();

    /// <summary>Called once every sink flushed successfully: the records are now durable against a process crash.</summary>
    public void MarkCommitted() => CommittedLength = Stream.Length;

    /// <summary>Closes after a failure, discarding buffered data; <see cref="Open"/> truncates back to the committed length.</summary>
    public void Abandon()
    {
        var file = stream;
        stream = null;
        try
        {
            AbandonCore();
        }
        catch
        {
            // The writer objects try to flush into a stream that just failed; their data is replayed anyway.
        }

        if (file is not null)
        {
            DisposeQuietly(file);
        }
    }

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

    /// <summary>Closes the file cleanly (it is complete after the last flush).</summary>
    public void Close()
    {
        if (stream is null)
        {
            return;
        }

        CloseCore();
        stream.Dispose();
        stream = null;
    }

    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (IOException)
        {
            Abandon();
        }
        catch (UnauthorizedAccessException)
        {
            Abandon();
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
    /// Repairs the tail of <paramref name="file"/> (a record torn by a crash), writes the file start when it is new,
    /// sets <see cref="HasRecords"/> and positions for appending. Returns false when the file is not in this format.
    /// </summary>
    protected abstract bool OpenCore(FileStream file);

    protected abstract void WriteCore(in MessageRecord record);

    protected abstract void FlushCore();

    /// <summary>Release writer objects without caring whether buffered data reaches the file.</summary>
    protected abstract void AbandonCore();

    /// <summary>Flush and release writer objects (the stream is disposed by the base class).</summary>
    protected abstract void CloseCore();

    private FileStream OpenFile() =>
        new(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileBufferSize);

    private string MoveAside()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var target = RotationNames.FirstFree(BasePath + ".moved-" + stamp, Extension);
        File.Move(FilePath, target);
        return target;
    }

    private static void DisposeQuietly(FileStream file)
    {
        try
        {
            file.Dispose();
        }
        catch (IOException)
        {
            // Disk full / device gone: the buffered bytes are lost, the records are replayed after Open.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

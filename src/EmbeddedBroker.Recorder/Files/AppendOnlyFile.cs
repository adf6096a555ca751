using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// A file at a fixed path that is only ever appended to, one positional write at a time (<see cref="AppendWriter"/>),
/// and that knows the length of its last commit: reopened after a failed write, it is first truncated back to that
/// length, so whatever part of an uncommitted batch reached it is gone before the batch is written again.
/// It notices when its path no longer names the open file (<see cref="OpenFileIdentity"/>), moves aside a file that
/// is not its own, and is renamed away by rotation. Not thread-safe: one per output file, used by the writer loop.
/// </summary>
internal sealed class AppendOnlyFile
{
    private readonly AppendWriter writer;
    private readonly int trailerLength;
    private SafeFileHandle? handle;
    private OpenFileIdentity identity;

    /// <summary><see cref="CommittedLength"/> describes the file at <see cref="Path"/>: a reopening truncates to it.</summary>
    private bool knowsCommittedLength;

    /// <summary>Length of the file after the last write that reached it.</summary>
    private long length;

    /// <param name="trailerLength">Bytes at the end of the file that every batch overwrites and ends with again (JSON: "\n]").</param>
    public AppendOnlyFile(string basePath, string extension, int trailerLength, bool directWrites, ILogger logger, PositionalWrite? positionalWrite)
    {
        BasePath = basePath;
        Extension = extension;
        Path = basePath + extension;
        this.trailerLength = trailerLength;
        writer = new AppendWriter(directWrites, logger, positionalWrite);
    }

    /// <summary>Output base path without extension (from the options).</summary>
    public string BasePath { get; }

    /// <summary>Extension with its dot: ".csv", ".json", ".jsonl".</summary>
    public string Extension { get; }

    /// <summary>The active file, always at the same path; rotated files are renamed away from it.</summary>
    public string Path { get; }

    public bool IsOpen => handle is not null;

    /// <summary>True while the file is open in direct I/O mode.</summary>
    public bool IsDirect => writer.IsDirect;

    /// <summary>Length of the file after the last commit.</summary>
    public long CommittedLength { get; private set; }

    /// <summary>UTC day the file at <see cref="Path"/> was last written.</summary>
    public DateOnly LastWriteDay => DateOnly.FromDateTime(File.GetLastWriteTimeUtc(Path));

    /// <summary>
    /// Opens the file at <see cref="Path"/> (creating its folder and the file if needed) for its format to check and
    /// repair; a file opened before is first truncated back to <see cref="CommittedLength"/>. Then <see cref="StartAppending"/>.
    /// </summary>
    public FileStream OpenForRepair()
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096);
        if (knowsCommittedLength && file.Length > CommittedLength)
        {
            // Reopening after a failed write: drop whatever part of the uncommitted batch reached the file; it is replayed.
            file.SetLength(CommittedLength);
        }

        return file;
    }

    /// <summary>Opens the handle the batches are written through; the file is <paramref name="fileLength"/> long and committed.</summary>
    public void StartAppending(long fileLength)
    {
        handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        identity = OpenFileIdentity.Of(handle);
        length = fileLength;
        writer.Attach(handle, Path, AppendOffset);
        CommittedLength = fileLength;
        knowsCommittedLength = true;
    }

    /// <summary>Writes <paramref name="bytes"/> at the append position (the end, or for JSON the start of its closing "\n]").</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var file = handle ?? throw new InvalidOperationException($"{Path} is not open.");
        length = writer.Write(file, Path, bytes, AppendOffset, trailerLength);
    }

    /// <summary>What was appended is committed: a later reopening keeps it.</summary>
    public void MarkCommitted() => CommittedLength = length;

    /// <summary>True when the path no longer names the open file (deleted, or moved away by an operator or logrotate).</summary>
    public bool WasMovedOrDeleted() => handle is not null && identity.WasMovedOrDeleted(handle, Path);

    /// <summary>
    /// Closes the file and forgets its committed length: what is at <see cref="Path"/> from now on is another file,
    /// which a reopening must not truncate to it.
    /// </summary>
    public void CloseAndForget()
    {
        Close();
        CommittedLength = 0;
        knowsCommittedLength = false;
    }

    /// <summary>Closes the file and renames it to <paramref name="target"/> (rotation); the next opening starts a new file.</summary>
    public void MoveTo(string target)
    {
        Close();
        File.Move(Path, target);
        CloseAndForget();
    }

    /// <summary>Renames a closed file that is not in the recorder's format out of the way, keeping it byte for byte; returns its new name.</summary>
    public string MoveAside()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = RotationNames.FirstFree(BasePath + ".moved-" + stamp, Extension);
        File.Move(Path, target);
        return target;
    }

    /// <summary>Closes the handle; the file stays as the last write left it.</summary>
    public void Close()
    {
        var file = handle;
        handle = null;
        file?.Dispose();
    }

    private long AppendOffset => length - trailerLength;
}

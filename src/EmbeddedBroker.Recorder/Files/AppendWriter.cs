using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// How a batch reaches the file: ONE positional write at the append position, with direct I/O (see
/// <see cref="DirectIo"/>, <see cref="DirectAppend"/>) where the platform and the file system take it, otherwise through
/// the page cache. A file system that accepts O_DIRECT but refuses the first direct write (EINVAL) gets buffered writes
/// from then on, said once in the log; nothing is lost. Not thread-safe: one per file, used by the writer loop.
/// </summary>
internal sealed class AppendWriter(bool directWrites, ILogger logger, PositionalWrite? positionalWrite)
{
    private const int InvalidArgument = 22; // EINVAL: what Linux answers when the file system cannot do this direct write

    private readonly PositionalWrite write = positionalWrite ?? RandomAccess.Write;

    /// <summary>Staging buffer and tail for direct writes, kept across reopenings and rotations (created on first use).</summary>
    private DirectAppend? staging;

    /// <summary>A direct write succeeded: later failures are real I/O errors, not a refusal of direct I/O.</summary>
    private bool directWorked;

    /// <summary>The file system accepted direct I/O but refused a direct write: buffered from then on.</summary>
    private bool directRefused;

    /// <summary>True while the open file is in direct I/O mode.</summary>
    public bool IsDirect { get; private set; }

    /// <summary>Prepares the writes to a newly opened <paramref name="file"/> whose next batch goes at <paramref name="appendOffset"/>.</summary>
    public void Attach(SafeFileHandle file, string path, long appendOffset)
    {
        IsDirect = directWrites && !directRefused && DirectIo.TryEnable(file);
        if (IsDirect)
        {
            staging ??= new DirectAppend();
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            staging.LoadTail(reader, appendOffset);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="appendOffset"/>; returns the new file length.</summary>
    /// <param name="trailerLength">Bytes at the end of <paramref name="bytes"/> that the next batch overwrites.</param>
    public long Write(SafeFileHandle file, string path, ReadOnlySpan<byte> bytes, long appendOffset, int trailerLength)
    {
        if (!IsDirect)
        {
            return BufferedWrite(file, bytes, appendOffset);
        }

        try
        {
            var end = staging!.Write(file, bytes, appendOffset, trailerLength, write);
            directWorked = true;
            return end;
        }
        catch (IOException error) when (error.HResult == InvalidArgument && !directWorked)
        {
            // Nothing was written. Say it once and go on buffered: slower, but every record still lands.
            logger.LogWarning("Recorder: the file system of {File} refuses direct writes ({Reason}); writing through the page cache instead",
                path, error.Message);
            directRefused = true;
            IsDirect = false;
            staging = null;
            DirectIo.Disable(file);
            var end = BufferedWrite(file, bytes, appendOffset);
            RandomAccess.SetLength(file, end);
            return end;
        }
    }

    private long BufferedWrite(SafeFileHandle file, ReadOnlySpan<byte> bytes, long appendOffset)
    {
        write(file, bytes, appendOffset);
        return appendOffset + bytes.Length;
    }
}

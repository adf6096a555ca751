using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// Appends batches to a file in direct I/O mode (see <see cref="DirectIo"/>), still as ONE positional write per batch.
/// <para>
/// A direct write covers whole blocks, so it starts at the block that holds the append position and first rewrites
/// the bytes of that block already in the file (the "tail", at most 4 KiB, kept here so the file is never read back),
/// then the batch, then '\n' up to the next block boundary. The file is then cut back to its real end. Between the
/// write and the cut the file ends with up to 4 KiB of '\n': JSON allows that whitespace after its closing ']', so the
/// array stays valid even to a reader at that instant, and CSV / JSON Lines see blank lines. If the process is killed
/// in that window, <see cref="FileTail.RemoveNewlinePadding"/> takes them away at the next start.
/// </para>
/// Not thread-safe: used by one file on the writer loop.
/// </summary>
internal sealed class DirectAppend
{
    /// <summary>What fills a direct write up to a block boundary (see the class remarks).</summary>
    public const byte Padding = (byte)'\n';

    private const int Alignment = DirectIo.Alignment;

    /// <summary>A staging buffer that grew beyond this (a huge batch) is released after the write.</summary>
    private const int MaxRetainedStagingBytes = 32 * 1024 * 1024;

    /// <summary>File bytes from the start of the block that holds the append position up to that position.</summary>
    private readonly byte[] tail = new byte[Alignment];
    private int tailLength;

    /// <summary>Pinned (never moved by the GC) so that a block-aligned slice of it can be handed to the kernel.</summary>
    private byte[] staging = [];
    private int stagingStart;

    /// <summary>Reads, from <paramref name="file"/>, the start of the block that holds <paramref name="appendOffset"/>.</summary>
    public void LoadTail(FileStream file, long appendOffset)
    {
        tailLength = (int)(appendOffset % Alignment);
        FileTail.ReadExactly(file, appendOffset - tailLength, tail.AsSpan(0, tailLength));
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="appendOffset"/> (where the last write said the next one
    /// goes: <see cref="LoadTail"/> or the previous call) and returns the file's new length.
    /// </summary>
    /// <param name="trailerLength">Bytes at the end of <paramref name="bytes"/> that the next append overwrites (JSON's "\n]").</param>
    public long Write(SafeFileHandle file, ReadOnlySpan<byte> bytes, long appendOffset, int trailerLength, PositionalWrite write)
    {
        var blockStart = appendOffset - tailLength;
        Debug.Assert(blockStart % Alignment == 0, "the tail must start on a block boundary");
        var length = tailLength + bytes.Length;
        var paddedLength = (length + Alignment - 1) / Alignment * Alignment;
        var stage = Stage(paddedLength);
        tail.AsSpan(0, tailLength).CopyTo(stage);
        bytes.CopyTo(stage[tailLength..]);
        stage[length..].Fill(Padding);

        write(file, stage, blockStart);
        var end = appendOffset + bytes.Length;
        if (paddedLength != length)
        {
            RandomAccess.SetLength(file, end);
        }

        var nextAppend = end - trailerLength;
        tailLength = (int)(nextAppend % Alignment);
        stage.Slice((int)(nextAppend - tailLength - blockStart), tailLength).CopyTo(tail);
        ReleaseIfHuge();
        return end;
    }

    private Span<byte> Stage(int length)
    {
        if (staging.Length - stagingStart < length)
        {
            // Headroom: the next batch of about the same size also carries the tail (up to one block).
            var capacity = Math.Max(length + (length / 4) + Alignment, 2 * (staging.Length - stagingStart));
            staging = GC.AllocateUninitializedArray<byte>(capacity + Alignment, pinned: true);
            stagingStart = (int)((Alignment - (AddressOf(staging) % Alignment)) % Alignment);
        }

        return staging.AsSpan(stagingStart, length);
    }

    private void ReleaseIfHuge()
    {
        if (staging.Length > MaxRetainedStagingBytes)
        {
            staging = [];
            stagingStart = 0;
        }
    }

    private static unsafe nint AddressOf(byte[] pinned) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}

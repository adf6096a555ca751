using System.Buffers;
using System.Runtime.InteropServices;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// The records of one file formatted since its last commit, in memory until they are written in one positional write.
/// The buffer is reused from commit to commit; one that grew beyond <see cref="MaxRetainedCapacity"/> (a huge message)
/// is released when cleared instead of being kept. Formats write into it as an <see cref="IBufferWriter{T}"/>.
/// </summary>
internal sealed class RecordBatch : IBufferWriter<byte>
{
    private const int InitialCapacity = 64 * 1024;
    private const int MaxRetainedCapacity = 32 * 1024 * 1024;

    private ArrayBufferWriter<byte> buffer = new(InitialCapacity);

    /// <summary>Bytes formatted so far.</summary>
    public int Length => buffer.WrittenCount;

    /// <summary>The formatted bytes; writable, so a format can settle its first bytes just before the write (JSON's separator).</summary>
    public Span<byte> Bytes => MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;

    /// <summary>The formatted bytes, for an asynchronous write (an export).</summary>
    public ReadOnlyMemory<byte> Written => buffer.WrittenMemory;

    public void Advance(int count) => buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.GetSpan(sizeHint);

    /// <summary>Forgets the bytes (committed or discarded).</summary>
    public void Clear()
    {
        if (buffer.Capacity > MaxRetainedCapacity)
        {
            buffer = new ArrayBufferWriter<byte>(InitialCapacity);
        }
        else
        {
            buffer.ResetWrittenCount();
        }
    }
}

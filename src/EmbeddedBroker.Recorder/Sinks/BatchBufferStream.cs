using System.Buffers;

namespace EmbeddedBroker.Recorder.Sinks;

/// <summary>
/// A write-only stream that appends to a reused in-memory batch, so a writer that only knows streams (CsvHelper)
/// produces bytes that the sink then hands to the file in one positional write.
/// </summary>
internal sealed class BatchBufferStream(ArrayBufferWriter<byte> target) : Stream
{
    /// <summary>The batch written to (replaced when the sink releases an oversized batch buffer).</summary>
    public ArrayBufferWriter<byte> Target { get; set; } = target;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Target.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => Target.Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Target.Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

using System.Buffers;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>
/// A write-only stream that appends to a record batch, so a writer that only knows streams (CsvHelper) produces bytes
/// that the file then gets in one positional write.
/// </summary>
internal sealed class BatchBufferStream : Stream
{
    /// <summary>The batch written to.</summary>
    public IBufferWriter<byte>? Target { get; set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Target!.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => Target!.Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Target!.Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

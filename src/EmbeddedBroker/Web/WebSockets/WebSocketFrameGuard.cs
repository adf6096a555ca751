namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// The upgraded connection's stream as the framework's WebSocket reads it, with <see cref="WebSocketFrameLengthWatch"/>
/// looking at every byte: once a frame header announces a message over the limit, nothing from that header on is
/// passed on, and the read waits (never reading the payload) until the connection is closed.
/// <see cref="OnRefused"/> runs then, on the receiving side's own flow, so that it may complete the broker's input.
/// </summary>
internal sealed class WebSocketFrameGuard(Stream inner, long messageLimit) : Stream
{
    private readonly WebSocketFrameLengthWatch _watch = new(messageLimit);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _refused;

    public long MessageLimit { get; } = messageLimit;

    /// <summary>Called once, with the announced message length, when a frame header is refused.</summary>
    public Func<long, ValueTask>? OnRefused { get; set; }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_refused)
            return await StallAsync(cancellationToken);
        var read = await inner.ReadAsync(buffer, cancellationToken);
        var allowed = _watch.Inspect(buffer.Span[..read]);
        if (_watch.RefusedLength is null)
            return read;

        _refused = true;
        return allowed > 0
            ? allowed // the bytes before the refused header; the next read stalls
            : await StallAsync(cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>After a refusal: the first stalled read reports it, every read then waits until the stream is disposed
    /// (the WebSocket aborted), and ends like a closed connection.</summary>
    private async Task<int> StallAsync(CancellationToken cancellationToken)
    {
        if (OnRefused is { } onRefused && _watch.RefusedLength is { } announced)
        {
            OnRefused = null;
            await onRefused(announced);
        }

        await _disposed.Task.WaitAsync(cancellationToken);
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed.TrySetResult();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _disposed.TrySetResult();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}

using System.IO.Pipelines;
using System.Net.Sockets;

namespace EmbeddedBroker.Client;

/// <summary>A connected TCP socket seen as a pipe pair: the transport the client owns for the TCP overload.</summary>
internal sealed class SocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private SocketDuplexPipe(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        // Small segments: an idle client then pins little memory, and MQTT packets in tests and benchmarks are small.
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
    }

    public PipeReader Input { get; }
    public PipeWriter Output { get; }

    public static async Task<SocketDuplexPipe> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new SocketDuplexPipe(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes the socket at once; pending reads and writes end.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: closing below is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }

        _stream.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }
}

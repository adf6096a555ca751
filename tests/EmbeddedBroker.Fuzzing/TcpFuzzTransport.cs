using System.IO.Pipelines;
using System.Net.Sockets;

namespace EmbeddedBroker.Fuzzing;

/// <summary>A fuzz connection over TCP (the long run against the built application).</summary>
public sealed class TcpFuzzTransport : IFuzzTransport
{
    private readonly NetworkStream _stream;

    private TcpFuzzTransport(NetworkStream stream)
    {
        _stream = stream;
        Pipe = new StreamDuplexPipe(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
    }

    public IDuplexPipe Pipe { get; }

    public static async ValueTask<IFuzzTransport> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TcpFuzzTransport(new NetworkStream(socket, ownsSocket: true));
    }

    public async ValueTask DisposeAsync()
    {
        await Pipe.Input.CompleteAsync();
        try
        {
            await Pipe.Output.CompleteAsync();
        }
        catch (IOException)
        {
            // Unflushed bytes to a socket the broker reset: nothing to deliver any more.
        }

        await _stream.DisposeAsync();
    }

    private sealed class StreamDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}

using System.Collections.Concurrent;
using System.IO.Pipelines;
using EmbeddedBroker.Fuzzing;

namespace EmbeddedBroker.Broker.Tests.Fuzz;

/// <summary>
/// Fuzz connections over in-memory pipes straight into <see cref="MqttBroker.RunConnectionAsync"/>. Disposing one closes
/// the client side and waits for the broker to finish the connection; one that does not finish is kept in
/// <see cref="Unfinished"/> (a hung or leaked connection).
/// </summary>
internal sealed class InMemoryFuzzConnections(MqttBroker broker)
{
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(10);
    private int _count;

    public ConcurrentQueue<string> Unfinished { get; } = new();

    public ValueTask<IFuzzTransport> ConnectAsync(CancellationToken cancellationToken)
    {
        var endPoint = $"memory:fuzz-{Interlocked.Increment(ref _count)}";
        return ValueTask.FromResult<IFuzzTransport>(new Transport(this, endPoint));
    }

    private sealed class Transport : IFuzzTransport
    {
        private readonly InMemoryFuzzConnections _owner;
        private readonly Pipe _toServer = new();
        private readonly Pipe _toClient = new();
        private readonly Task _server;
        private readonly string _endPoint;

        public Transport(InMemoryFuzzConnections owner, string endPoint)
        {
            _owner = owner;
            _endPoint = endPoint;
            var context = new MqttConnectionContext { Transport = "memory", RemoteEndPoint = endPoint };
            _server = Task.Run(() => owner.RunAsync(new Duplex(_toServer.Reader, _toClient.Writer), context));
            Pipe = new Duplex(_toClient.Reader, _toServer.Writer);
        }

        public IDuplexPipe Pipe { get; }

        public async ValueTask DisposeAsync()
        {
            await _toServer.Writer.CompleteAsync();
            await _toClient.Reader.CompleteAsync();
            try
            {
                await _server.WaitAsync(FinishTimeout);
            }
            catch (TimeoutException)
            {
                _owner.Unfinished.Enqueue(_endPoint);
            }
        }
    }

    private Task RunAsync(IDuplexPipe pipe, MqttConnectionContext context) => broker.RunConnectionAsync(pipe, context, CancellationToken.None);

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}

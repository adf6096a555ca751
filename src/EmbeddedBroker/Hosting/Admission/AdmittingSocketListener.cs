using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>One bound TCP listener of <see cref="AdmittingSocketTransportFactory"/>.</summary>
internal sealed class AdmittingSocketListener(
    EndPoint endpoint,
    SocketTransportOptions options,
    SocketConnectionContextFactory connections,
    ConnectionAdmission admission,
    SpareDescriptor spare) : IConnectionListener
{
    /// <summary>How long to wait when accept fails and no spare descriptor could be given back to shed the client.</summary>
    private static readonly TimeSpan OutOfDescriptorsPause = TimeSpan.FromMilliseconds(50);

    private Socket? _socket;

    public EndPoint EndPoint { get; private set; } = endpoint;

    /// <summary>Binds as Kestrel's own transport does (dual mode for [::], its AddressInUseException for a taken port).</summary>
    public void Bind()
    {
        Socket socket;
        try
        {
            socket = options.CreateBoundListenSocket(EndPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AddressInUseException(e.Message, e);
        }

        EndPoint = socket.LocalEndPoint!;
        socket.Listen(options.Backlog);
        _socket = socket;
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var listenSocket = _socket ?? throw new InvalidOperationException("The listener is not bound.");
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listenSocket.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
                                          || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return null; // unbound or disposed: Kestrel is stopping this endpoint
            }
            catch (SocketException e) when (IsOutOfResources(e.SocketErrorCode))
            {
                await ShedPendingClientAsync(listenSocket, e, cancellationToken);
                continue;
            }
            catch (SocketException)
            {
                continue; // the client reset the connection while it waited in the backlog
            }

            var remote = RemoteAddress(accepted);
            if (admission.TryAdmit(remote) is not null)
            {
                CloseAtOnce(accepted);
                continue;
            }

            if (accepted.LocalEndPoint is IPEndPoint)
            {
                accepted.NoDelay = options.NoDelay;
            }

            var connection = connections.Create(accepted);
            connection.ConnectionClosed.Register(static state => ((AdmittedConnection)state!).Release(), new AdmittedConnection(admission, remote));
            return connection;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>EMFILE/ENFILE (too many open files, in the process or the system) and ENOBUFS/ENOMEM.</summary>
    private static bool IsOutOfResources(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    private async Task ShedPendingClientAsync(Socket listenSocket, SocketException error, CancellationToken cancellationToken)
    {
        admission.RecordAcceptFailure(error.Message);
        var shed = spare.RunWithSpareReleased(() =>
        {
            // Non-blocking: the backlog may have emptied meanwhile (the client gave up).
            listenSocket.Blocking = false;
            try
            {
                CloseAtOnce(listenSocket.Accept());
            }
            catch (SocketException)
            {
                // nothing pending, or still no descriptor: the pause below keeps this from spinning
            }
            finally
            {
                listenSocket.Blocking = true;
            }
        });

        if (!shed)
        {
            await Task.Delay(OutOfDescriptorsPause, cancellationToken).ConfigureAwait(false);
        }
    }

    private static IPAddress? RemoteAddress(Socket socket) =>
        socket.RemoteEndPoint is IPEndPoint { Address: var address }
            ? address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address
            : null;

    /// <summary>Closes with a reset: the descriptor is free at once and no TIME_WAIT is left behind for a refused client.</summary>
    private static void CloseAtOnce(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // already reset by the peer
        }

        socket.Dispose();
    }

    /// <summary>Gives the admission back once, when Kestrel's connection reports it closed.</summary>
    private sealed class AdmittedConnection(ConnectionAdmission admission, IPAddress? remote)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                admission.Release(remote);
            }
        }
    }
}

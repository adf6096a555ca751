using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>
/// Kestrel binds every "[::]" listener dual-stack (IPv4 too). A listener with socket_domain ipv6 must take IPv6 only,
/// so its port is registered here and Kestrel's socket factory (<see cref="SocketTransportOptions.CreateBoundListenSocket"/>)
/// creates that one socket with dual mode off; every other socket is Kestrel's default.
/// </summary>
internal sealed class IPv6OnlySockets
{
    private readonly ConcurrentDictionary<int, bool> ports = new();

    public void Register(int port) => ports[port] = true;

    public Socket Create(EndPoint endPoint)
    {
        if (endPoint is not IPEndPoint ip || !ip.Address.Equals(IPAddress.IPv6Any) || !ports.ContainsKey(ip.Port))
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        }

        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = false };
        try
        {
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

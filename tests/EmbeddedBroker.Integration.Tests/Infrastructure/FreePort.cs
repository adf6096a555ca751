using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Integration.Tests.Infrastructure;

/// <summary>Finds a free TCP port on 127.0.0.1 (tests never bind anything else).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

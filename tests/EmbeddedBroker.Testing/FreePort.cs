using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Testing;

/// <summary>Free TCP ports on 127.0.0.1 (tests never bind anything else), and waiting until a server listens on one.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now. Another process may take it before the test binds it (see <see cref="InProcessHost"/>).</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits until 127.0.0.1:<paramref name="port"/> accepts a TCP connection; fails the test after the timeout, or at
    /// once when <paramref name="server"/> (the process meant to listen) has exited, with what it printed.
    /// </summary>
    public static Task WaitUntilAcceptingAsync(int port, TimeSpan timeout, ExternalProcess? server = null) =>
        Eventually.HoldsAsync(
            async () =>
            {
                if (server is { HasExited: true })
                {
                    Assert.Fail($"{server.FileName} exited before it listened on {port}. {server.Describe()}");
                }

                return await AcceptsAsync(port);
            },
            () => $"127.0.0.1:{port} accepts connections. {server?.Describe()}",
            timeout,
            TimeSpan.FromMilliseconds(50));

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

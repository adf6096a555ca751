using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Bench.Wire;

/// <summary>
/// Local addresses 127.0.0.2 .. 127.0.0.(1+N) handed out in turn. Linux routes all of 127.0.0.0/8 to the loopback
/// interface, and each source address has its own ephemeral port range (about 28,000 ports) towards the broker, so
/// 100,000 connections (or a connect-rate run whose closed sockets linger in TIME_WAIT) need several of them.
/// </summary>
internal sealed class SourceAddresses
{
    // Linux IP_BIND_ADDRESS_NO_PORT (SOL_IP level): bind() keeps the address and connect() picks the port per
    // destination, so ports are not reserved machine-wide at bind time (which would cap all addresses at one range).
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private readonly IPAddress[] _addresses;
    private int _next = -1;

    public SourceAddresses(int count)
    {
        if (count is < 1 or > 250)
        {
            throw new ArgumentException($"--source-addresses must be 1..250, not {count}.");
        }

        _addresses = [.. Enumerable.Range(2, count).Select(i => new IPAddress([127, 0, 0, (byte)i]))];
    }

    public int Count => _addresses.Length;

    public IPAddress Next() => _addresses[(int)((uint)Interlocked.Increment(ref _next) % (uint)_addresses.Length)];

    public static void DeferPortChoiceToConnect(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
        }
    }
}

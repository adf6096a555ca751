using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Binds a Kestrel listener to an address or a host name, as Mosquitto accepts both: "0.0.0.0" is every IPv4 and
/// IPv6 interface (dual stack), an IP address is itself, and a host name ("localhost") is every address it resolves
/// to at start-up. An unknown name stops start-up with one line naming the setting.
/// </summary>
public static class ListenAddresses
{
    /// <summary>True for an IP address or a well-formed DNS host name (whether it resolves is checked at start-up).</summary>
    public static bool IsValid(string? text) =>
        !string.IsNullOrWhiteSpace(text) && (IPAddress.TryParse(text, out _) || Uri.CheckHostName(text) == UriHostNameType.Dns);

    /// <param name="setting">How the user set it, for the message: "Listeners:Mqtt:Address (--bind)".</param>
    public static void Bind(KestrelServerOptions kestrel, string text, int port, Action<ListenOptions> configure, string setting)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (IPAddress.TryParse(text, out var address) && address.Equals(IPAddress.Any))
        {
            kestrel.ListenAnyIP(port, configure);
            return;
        }

        foreach (var resolved in Resolve(text, family: null, setting))
        {
            kestrel.Listen(resolved, port, configure);
        }
    }

    /// <summary>
    /// The addresses <paramref name="text"/> stands for, of <paramref name="family"/> only when given: an IP address is
    /// itself, a host name what it resolves to now (each address once; IPv6 only where the machine has it).
    /// </summary>
    public static IReadOnlyList<IPAddress> Resolve(string text, AddressFamily? family, string setting)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IPAddress.TryParse(text, out var literal))
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(text);
        }
        catch (SocketException ex)
        {
            throw new StartupException($"{setting} '{text}' is not a known host name ({ex.Message}): use an address such as 127.0.0.1 or 0.0.0.0, or a name this machine resolves (see /etc/hosts).", ex);
        }

        // A port bound twice (a name listed twice) would fail, so each address once.
        var usable = addresses.Distinct()
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && Socket.OSSupportsIPv6))
            .Where(a => family is null || a.AddressFamily == family)
            .ToList();
        return usable.Count > 0
            ? usable
            : throw new StartupException($"{setting} '{text}' resolves to no usable {(family is null ? "" : FamilyName(family.Value) + " ")}address: use an address such as 127.0.0.1 or 0.0.0.0.");
    }

    /// <summary>True when a listener on <paramref name="address"/> (or on <paramref name="networkInterface"/>, which
    /// takes priority) can be reached from this machine only. An address that does not resolve counts as reachable
    /// (binding reports it).</summary>
    public static bool IsLoopbackOnly(string address, string? networkInterface)
    {
        if (!string.IsNullOrEmpty(networkInterface))
        {
            return networkInterface == "lo";
        }

        try
        {
            return Resolve(address, family: null, address).All(IPAddress.IsLoopback);
        }
        catch (StartupException)
        {
            return false;
        }
    }

    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}

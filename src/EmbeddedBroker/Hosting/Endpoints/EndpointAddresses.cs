using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>
/// The socket addresses one endpoint binds, as Mosquitto 2.0 binds a listener: its bind_interface's addresses when it
/// names one (taking priority over the address), else the address or host name, restricted to socket_domain's family
/// when set. "Every interface" with no socket_domain is one dual-stack socket; with socket_domain ipv6 it is an
/// IPv6-only socket (<see cref="IsIPv6Only"/>), as Mosquitto sets IPV6_V6ONLY.
/// </summary>
internal static class EndpointAddresses
{
    public static IReadOnlyList<IPAddress> Resolve(EndpointOptions endpoint, SettingOrigins origins, string prefix)
    {
        var family = Family(endpoint.SocketDomain);
        if (!string.IsNullOrEmpty(endpoint.BindInterface))
        {
            return InterfaceAddresses(endpoint.BindInterface, family, origins.Describe($"{prefix}:BindInterface"));
        }

        if (IPAddress.TryParse(endpoint.Address, out var literal) && (literal.Equals(IPAddress.Any) || literal.Equals(IPAddress.IPv6Any)))
        {
            return family switch
            {
                AddressFamily.InterNetwork => [IPAddress.Any],
                AddressFamily.InterNetworkV6 => [IPAddress.IPv6Any],
                _ => Socket.OSSupportsIPv6 ? [IPAddress.IPv6Any] : [IPAddress.Any], // dual stack, as Kestrel's ListenAnyIP
            };
        }

        return ListenAddresses.Resolve(endpoint.Address, family, origins.Describe($"{prefix}:Address"));
    }

    /// <summary>An "every interface" IPv6 socket that must not take IPv4 connections too (socket_domain ipv6).</summary>
    public static bool IsIPv6Only(EndpointOptions endpoint, IPAddress address) =>
        address.Equals(IPAddress.IPv6Any) && Family(endpoint.SocketDomain) == AddressFamily.InterNetworkV6;

    public static AddressFamily? Family(string? socketDomain) => socketDomain?.ToLowerInvariant() switch
    {
        "ipv4" => AddressFamily.InterNetwork,
        "ipv6" => AddressFamily.InterNetworkV6,
        _ => null,
    };

    private static List<IPAddress> InterfaceAddresses(string name, AddressFamily? family, string setting)
    {
        var match = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal));
        if (match is null)
        {
            throw new StartupException($"{setting} '{name}' is not a network interface of this machine: use one that 'ip -brief link' lists (e.g. lo, eth0), or an address instead.");
        }

        var addresses = match.GetIPProperties().UnicastAddresses
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || a.AddressFamily == AddressFamily.InterNetworkV6)
            .Where(a => family is null || a.AddressFamily == family)
            .Distinct()
            .ToList();
        return addresses.Count > 0
            ? addresses
            : throw new StartupException($"{setting} '{name}' has no {(family is { } f ? ListenAddresses.FamilyName(f) + " " : "")}address now: bring the interface up, or use another one.");
    }
}

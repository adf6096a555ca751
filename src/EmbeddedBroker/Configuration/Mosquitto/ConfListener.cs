using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// One listener of the file: a <c>listener PORT [ADDRESS]</c> block, or Mosquitto's default listener (declared by the
/// deprecated <c>port</c> and <c>bind_address</c>), with the options that follow it. Written as one entry of
/// <c>Listeners:Endpoints</c>.
/// </summary>
internal sealed class ConfListener
{
    public const int DefaultPort = 1883;

    /// <summary>What the "every interface" default is written as (IPv4 and IPv6 unless socket_domain says one).</summary>
    public const string AnyAddress = "0.0.0.0";

    private ConfListener(bool isDefault, ConfLine? declaredAt, int port, string? address)
    {
        IsDefault = isDefault;
        DeclaredAt = declaredAt;
        Port = port;
        Address = address;
    }

    public static ConfListener CreateDefault() => new(isDefault: true, declaredAt: null, DefaultPort, address: null);

    public static ConfListener Create(ConfLine listenerLine, int port, string? address) => new(isDefault: false, listenerLine, port, address);

    /// <summary>Mosquitto's default listener: port 1883 unless <c>port</c> says otherwise, opened only when the file
    /// declares it with <c>port</c> or <c>bind_address</c>.</summary>
    public bool IsDefault { get; }

    /// <summary>The <c>listener</c> line; for the default listener, the first <c>port</c> or <c>bind_address</c> line
    /// (null while undeclared).</summary>
    public ConfLine? DeclaredAt { get; set; }

    /// <summary>For the default listener: the first option that configured it, refused if it is never declared.</summary>
    public ConfLine? FirstOptionLine { get; set; }

    /// <summary>Assigned once all listeners are known: "listener-1883", "listener-1883-2", or "default".</summary>
    public string Name { get; set; } = "";

    public int Port { get; set; }

    /// <summary>The bind address or host name; null = every interface.</summary>
    public string? Address { get; set; }

    public string Protocol { get; set; } = "mqtt";

    /// <summary>"ipv4", "ipv6", or null for both.</summary>
    public string? SocketDomain { get; set; }

    public string? BindInterface { get; set; }

    /// <summary>-1 = unlimited, as Mosquitto writes it; null = not set.</summary>
    public int? MaxConnections { get; set; }

    public ConfTls Tls { get; } = new();

    /// <summary>This listener's own security when per_listener_settings is true.</summary>
    public ConfSecurity Security { get; } = new();

    /// <summary>"listener 1883", "the default listener (port 1883)": how messages name it.</summary>
    public string Describe() => IsDefault ? $"the default listener (port {Port})" : $"listener {Port}" + (Address is null ? "" : $" {Address}");

    /// <summary>Whether both listeners would bind the same socket (Mosquitto fails with "Address already in use").
    /// Every interface overlaps every address of the families it covers.</summary>
    public bool Overlaps(ConfListener other)
    {
        if (Port != other.Port)
        {
            return false;
        }

        if (Address is not null && other.Address is not null)
        {
            return string.Equals(Address, other.Address, StringComparison.OrdinalIgnoreCase);
        }

        return Family() is not { } mine || other.Family() is not { } theirs || mine == theirs;
    }

    public void WriteTo(ConfValues values, string prefix)
    {
        values.Set($"{prefix}:Name", Name);
        values.Set($"{prefix}:Port", Port);
        values.Set($"{prefix}:Address", Address ?? AnyAddress);
        values.Set($"{prefix}:Protocol", Protocol);
        values.SetIfPresent($"{prefix}:SocketDomain", SocketDomain);
        values.SetIfPresent($"{prefix}:BindInterface", BindInterface);
        values.SetIfPresent($"{prefix}:MaxConnections", MaxConnections);
        values.SetOrigin($"{prefix}:Port", DeclaredAt);
        values.SetOrigin($"{prefix}:Address", DeclaredAt);
        Tls.WriteTo(values, $"{prefix}:Tls");
    }

    /// <summary>The address family this listener binds, or null when it binds both (or a host name).</summary>
    private AddressFamily? Family()
    {
        if (Address is null)
        {
            return SocketDomain switch
            {
                "ipv4" => AddressFamily.InterNetwork,
                "ipv6" => AddressFamily.InterNetworkV6,
                _ => null,
            };
        }

        return IPAddress.TryParse(Address, out var ip) ? ip.AddressFamily : null;
    }
}

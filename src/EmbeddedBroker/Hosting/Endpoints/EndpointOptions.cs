namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>
/// One entry of "Listeners:Endpoints": a listener as mosquitto.conf declares it (<c>listener PORT [ADDRESS]</c> and its
/// options; docs/mosquitto-conf.md), in addition to the built-in Listeners:Mqtt and Listeners:WebSocket.
/// </summary>
public sealed class EndpointOptions
{
    public const string SectionName = "Listeners:Endpoints";
    public const string Mqtt = "mqtt";
    public const string WebSockets = "websockets";

    /// <summary>What per-listener security (Security:Listeners:{Name}) and the logs call it; unique. Default "listener-PORT".</summary>
    public string? Name { get; set; }

    public int Port { get; set; }

    /// <summary>An IP address or a host name; "0.0.0.0" = every interface (IPv4 and IPv6 unless <see cref="SocketDomain"/> says one).</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>"mqtt" (MQTT over TCP, or TLS) or "websockets" (MQTT over WebSocket, or WSS, plus the dashboard and the HTTP API).</summary>
    public string Protocol { get; set; } = Mqtt;

    /// <summary>"ipv4", "ipv6", or null for both.</summary>
    public string? SocketDomain { get; set; }

    /// <summary>A network interface ("eth0"): the listener binds that interface's addresses, as Mosquitto 2.0 does. It
    /// takes priority over <see cref="Address"/>.</summary>
    public string? BindInterface { get; set; }

    /// <summary>Connections open at once on this listener; further ones are closed at once. -1 (or absent) = no limit.</summary>
    public int MaxConnections { get; set; } = -1;

    /// <summary>Present (with a certificate) for a TLS or WSS listener.</summary>
    public EndpointTlsOptions? Tls { get; set; }

    public bool IsWebSockets => string.Equals(Protocol, WebSockets, StringComparison.OrdinalIgnoreCase);

    public bool IsTls => Tls?.CertFile is { Length: > 0 };

    public string EffectiveName => string.IsNullOrEmpty(Name) ? $"listener-{Port}" : Name;
}

/// <summary>
/// A listener's TLS (Mosquitto's certfile, keyfile, cafile, capath, require_certificate, tls_version, ciphers). The
/// protocol code never sees it: Kestrel's TLS middleware wraps the connection before the MQTT handler or the web
/// pipeline gets it.
/// </summary>
public sealed class EndpointTlsOptions
{
    /// <summary>PEM certificate; further certificates in the file are sent as its chain.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key (unencrypted, as Mosquitto without a password callback reads it).</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM file of the CAs whose client certificates are accepted.</summary>
    public string? CaFile { get; set; }

    /// <summary>A folder of PEM CA certificates (every file in it that holds one).</summary>
    public string? CaPath { get; set; }

    /// <summary>Clients must present a certificate signed by one of the CAs. Without it, a listener with CAs asks for
    /// one but lets clients without a certificate in (a certificate that is presented must still be valid).</summary>
    public bool RequireCertificate { get; set; }

    /// <summary>Mirrors Security:Listeners:{Name}:UseIdentityAsUsername (mosquitto.conf writes both).</summary>
    public bool UseIdentityAsUsername { get; set; }

    /// <summary>Mirrors Security:Listeners:{Name}:UseSubjectAsUsername.</summary>
    public bool UseSubjectAsUsername { get; set; }

    /// <summary>"tlsv1.2" (default: TLS 1.2 and 1.3) or "tlsv1.3" (TLS 1.3 only): the lowest version accepted.</summary>
    public string? Version { get; set; }

    /// <summary>TLS 1.2 cipher suites, ':'-separated, by their OpenSSL names (ECDHE-RSA-AES128-GCM-SHA256) or IANA names;
    /// TLS 1.3 keeps its standard suites. Absent = the system's defaults.</summary>
    public string? Ciphers { get; set; }

    public bool HasClientCas => !string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(CaPath);
}

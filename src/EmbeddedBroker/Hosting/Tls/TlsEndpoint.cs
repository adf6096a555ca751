using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EmbeddedBroker.Hosting.Endpoints;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Hosting.Tls;

/// <summary>
/// One TLS (or WSS) listener: Kestrel's TLS middleware asks it for the server options of every handshake, so the
/// certificate and the client CAs can be swapped by <see cref="Reload"/> while connections stay up (new handshakes get
/// the new files, established sessions keep theirs). Client certificates: required with RequireCertificate; asked for
/// but optional on a listener with CAs; not asked for without CAs (Mosquitto's default). A certificate presented must
/// chain to the CAs, else the handshake fails.
/// </summary>
internal sealed class TlsEndpoint
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly EndpointTlsOptions options;
    private readonly TlsSettings settings;
    private readonly ILogger logger;
    private readonly SslProtocols protocols;
    private readonly CipherSuitesPolicy? ciphers;
    private readonly bool webSockets;
    private volatile TlsMaterial material;

    private TlsEndpoint(string name, EndpointTlsOptions options, bool webSockets, TlsSettings settings, ILogger logger)
    {
        Name = name;
        this.options = options;
        this.webSockets = webSockets;
        this.settings = settings;
        this.logger = logger;
        protocols = Protocols(options.Version);
        ciphers = CipherSuites.Parse(options.Ciphers, settings.Ciphers);
        material = LoadMaterial();
        Warn(material.Certificate.TargetCertificate);
    }

    public string Name { get; }

    /// <summary>Reads the files of <paramref name="endpoint"/>; throws <see cref="TlsFileException"/> (one line) when one
    /// cannot be used.</summary>
    public static TlsEndpoint Load(EndpointOptions endpoint, string prefix, SettingOrigins origins, ILogger logger) =>
        new(endpoint.EffectiveName, endpoint.Tls!, endpoint.IsWebSockets, TlsSettings.For($"{prefix}:Tls", origins), logger);

    public TlsHandshakeCallbackOptions HandshakeOptions => new()
    {
        OnConnection = _ => ValueTask.FromResult(ServerOptions()),
        HandshakeTimeout = HandshakeTimeout,
    };

    /// <summary>Re-reads the certificate, key and CAs; on any error the files in force stay and one line says why.</summary>
    public bool Reload()
    {
        try
        {
            var loaded = LoadMaterial();
            material = loaded;
            var certificate = loaded.Certificate.TargetCertificate;
            logger.LogInformation("TLS certificate of {Listener} reloaded: {Subject}, valid until {NotAfter:u}", Name, certificate.Subject, certificate.NotAfter.ToUniversalTime());
            Warn(certificate);
            return true;
        }
        catch (TlsFileException ex)
        {
            logger.LogError("TLS reload of {Listener} failed, the previous certificate stays in force: {Error}", Name, ex.Message);
            return false;
        }
    }

    /// <summary>tls_version is the lowest version accepted; without it the system's OpenSSL policy decides (TLS 1.2 and
    /// up on Debian), as for Mosquitto.</summary>
    private static SslProtocols Protocols(string? version) => version?.ToLowerInvariant() switch
    {
        "tlsv1.3" => SslProtocols.Tls13,
        "tlsv1.2" => SslProtocols.Tls12 | SslProtocols.Tls13,
        _ => SslProtocols.None,
    };

    private TlsMaterial LoadMaterial()
    {
        var certificate = ServerCertificate.Load(options.CertFile!, options.KeyFile!, settings.CertFile, settings.KeyFile);
        var authorities = options.HasClientCas
            ? ClientCertificateAuthorities.Load(options.CaFile, options.CaPath, settings.CaFile, settings.CaPath)
            : null;
        return new TlsMaterial(certificate, authorities);
    }

    private SslServerAuthenticationOptions ServerOptions()
    {
        var current = material;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = current.Certificate,
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = ciphers,
            ClientCertificateRequired = current.Authorities is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = current.Authorities is { } authorities
                ? (_, certificate, chain, _) => Accepts(authorities, certificate, chain)
                : null,
            ApplicationProtocols = webSockets ? [SslApplicationProtocol.Http11] : null,
        };
    }

    private bool Accepts(ClientCertificateAuthorities authorities, X509Certificate? presented, X509Chain? chain)
    {
        if (presented is null)
        {
            return !options.RequireCertificate;
        }

        var certificate = presented as X509Certificate2 ?? new X509Certificate2(presented);
        if (authorities.IsTrusted(certificate, chain, out var problem))
        {
            return true;
        }

        // A client can send bad certificates at will: Debug only, like Kestrel's own handshake failures.
        logger.LogDebug("Client certificate {Subject} refused on {Listener}: {Problem}", certificate.Subject, Name, problem);
        return false;
    }

    private void Warn(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        if (certificate.NotAfter < now || certificate.NotBefore > now)
        {
            logger.LogWarning("The TLS certificate of {Listener} ({Subject}) is valid only from {NotBefore:u} to {NotAfter:u}: clients will refuse it; renew it and send SIGHUP",
                Name, certificate.Subject, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        }
    }

    private sealed record TlsMaterial(SslStreamCertificateContext Certificate, ClientCertificateAuthorities? Authorities);
}

/// <summary>How each TLS setting of one listener was written, for messages ("mosquitto.conf:5: keyfile").</summary>
internal sealed record TlsSettings(string CertFile, string KeyFile, string CaFile, string CaPath, string Ciphers)
{
    public static TlsSettings For(string prefix, SettingOrigins origins) => new(
        origins.Describe($"{prefix}:CertFile"),
        origins.Describe($"{prefix}:KeyFile"),
        origins.Describe($"{prefix}:CaFile"),
        origins.Describe($"{prefix}:CaPath"),
        origins.Describe($"{prefix}:Ciphers"));
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedBroker.Hosting.Tls;

/// <summary>
/// The CAs a listener trusts for client certificates (Mosquitto's cafile and capath), and the check of a certificate a
/// client presents, with the framework's X509Chain over a custom trust store: as in OpenSSL, the self-signed
/// certificates are the trust anchors and the others (intermediates) help build the chain; the certificate must be
/// within its validity period and fit for client authentication (an extended key usage, when present, must allow it).
/// Revocation is not checked (crlfile is not supported).
/// </summary>
internal sealed class ClientCertificateAuthorities
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2Collection anchors;
    private readonly X509Certificate2Collection intermediates;

    private ClientCertificateAuthorities(X509Certificate2Collection anchors, X509Certificate2Collection intermediates)
    {
        this.anchors = anchors;
        this.intermediates = intermediates;
    }

    public int Count => anchors.Count + intermediates.Count;

    /// <exception cref="TlsFileException">A file cannot be read, holds no certificate, or the folder is missing.</exception>
    public static ClientCertificateAuthorities Load(string? caFile, string? caPath, string caFileSetting, string caPathSetting)
    {
        var all = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(caFile))
        {
            all.AddRange(ServerCertificate.ReadCertificates(caFile, caFileSetting));
        }

        if (!string.IsNullOrEmpty(caPath))
        {
            all.AddRange(ReadFolder(caPath, caPathSetting));
        }

        var anchors = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? anchors : intermediates).Add(certificate);
        }

        if (anchors.Count == 0)
        {
            throw new TlsFileException($"{(string.IsNullOrEmpty(caFile) ? caPathSetting : caFileSetting)}: no self-signed CA certificate among the {all.Count} certificate(s) given, so no client certificate could ever be trusted; add the root CA certificate");
        }

        return new ClientCertificateAuthorities(anchors, intermediates);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to one of the CAs; <paramref name="presented"/> holds the
    /// intermediates the client sent. <paramref name="problem"/> says why not (for the debug log).</summary>
    public bool IsTrusted(X509Certificate2 certificate, X509Chain? presented, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var trusted = chain.Build(certificate);
        problem = trusted ? "" : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct(StringComparer.Ordinal));
        foreach (var element in chain.ChainElements)
        {
            if (!ReferenceEquals(element.Certificate, certificate))
            {
                element.Certificate.Dispose();
            }
        }

        return trusted;
    }

    /// <summary>capath: every file of the folder that holds PEM certificates (OpenSSL looks there by hashed names, which
    /// c_rehash creates as links to the same files); other files are left alone.</summary>
    private static X509Certificate2Collection ReadFolder(string folder, string setting)
    {
        if (!Directory.Exists(folder))
        {
            throw new TlsFileException($"{setting}: the folder {folder} does not exist; create it with the CA certificates in PEM, or correct the path");
        }

        var certificates = new X509Certificate2Collection();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            try
            {
                var found = new X509Certificate2Collection();
                found.ImportFromPemFile(file);
                foreach (var certificate in found)
                {
                    if (seen.Add(certificate.Thumbprint))
                    {
                        certificates.Add(certificate);
                    }
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                // Not a certificate file (a README, a CRL): OpenSSL would not use it either.
            }
        }

        return certificates.Count > 0
            ? certificates
            : throw new TlsFileException($"{setting}: the folder {folder} holds no PEM certificate; put the CA certificates there (one per file, '-----BEGIN CERTIFICATE-----')");
    }
}

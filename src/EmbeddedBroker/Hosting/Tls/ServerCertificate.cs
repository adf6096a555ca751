using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedBroker.Hosting.Tls;

/// <summary>
/// A listener's certificate and private key from PEM files (Mosquitto's certfile and keyfile), with the further
/// certificates of the certificate file sent as its chain. Everything that can be wrong with the pair is told apart,
/// so the message says which file to fix.
/// </summary>
internal static class ServerCertificate
{
    private static readonly string[] PrivateKeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    /// <param name="certSetting">How the certificate file was set ("mosquitto.conf:4: certfile"), for messages.</param>
    /// <exception cref="TlsFileException">One line: which file, what is wrong, the fix.</exception>
    public static SslStreamCertificateContext Load(string certFile, string keyFile, string certSetting, string keySetting)
    {
        var certificates = ReadCertificates(certFile, certSetting);
        var keyText = ReadText(keyFile, keySetting, "key");
        var labels = PemLabels(keyText);
        if (labels.Contains("ENCRYPTED PRIVATE KEY"))
        {
            throw new TlsFileException($"{keySetting}: {keyFile} holds an encrypted private key, which cannot be read without its password; decrypt it once with `openssl pkey -in {keyFile} -out {keyFile}.plain` and use that file (readable by this user only)");
        }

        if (!labels.Any(PrivateKeyLabels.Contains))
        {
            throw new TlsFileException($"{keySetting}: {keyFile} holds no PEM private key (a '-----BEGIN PRIVATE KEY-----' block); give the key file that belongs to {certFile}");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(File.ReadAllText(certFile), keyText);
        }
        catch (CryptographicException ex)
        {
            throw new TlsFileException($"{keySetting}: the private key in {keyFile} does not match the certificate in {certFile} ({ex.Message.TrimEnd('.')}); give the key the certificate was issued for, or the certificate of this key", ex);
        }

        var chain = new X509Certificate2Collection();
        foreach (var certificate in certificates.Skip(1))
        {
            chain.Add(certificate);
        }

        certificates[0].Dispose();
        return SslStreamCertificateContext.Create(leaf, chain, offline: true);
    }

    /// <summary>Every certificate of a PEM file (CERTIFICATE blocks); at least one.</summary>
    public static X509Certificate2Collection ReadCertificates(string file, string setting)
    {
        var text = ReadText(file, setting, "certificate");
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException ex)
        {
            throw new TlsFileException($"{setting}: {file} holds a malformed certificate ({ex.Message.TrimEnd('.')}); give a PEM certificate ('-----BEGIN CERTIFICATE-----')", ex);
        }

        return certificates.Count > 0
            ? certificates
            : throw new TlsFileException($"{setting}: {file} holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); give the listener's certificate in PEM (convert DER with `openssl x509 -inform der -in FILE -out FILE.pem`)");
    }

    private static string ReadText(string file, string setting, string what)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TlsFileException($"{setting}: cannot read the {what} file {file} ({ex.Message.TrimEnd('.')}); correct the path or let this user read it", ex);
        }
    }

    private static HashSet<string> PemLabels(string text)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            labels.Add(rest[fields.Label].ToString());
            rest = rest[fields.Location.End..];
        }

        return labels;
    }
}

namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// Throw-away certificates made with openssl in a test's folder: a CA, a server certificate for localhost and
/// 127.0.0.1, client certificates for "alice" and "bob" signed by the CA, and a client certificate signed by another
/// CA that nobody trusts. PEM files: ca.crt, server.crt/.key, alice.crt/.key, bob.crt/.key, rogue.crt/.key, other.key
/// (a key that belongs to no certificate).
/// </summary>
internal static class TestCertificates
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task CreateAsync(ConfFolder folder)
    {
        await SelfSignedAsync(folder, "ca", "/CN=EmbeddedBroker test CA");
        await SelfSignedAsync(folder, "rogue-ca", "/CN=Rogue CA");
        await SignedAsync(folder, "server", "/CN=localhost", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        await SignedAsync(folder, "alice", "/O=Example/CN=alice", "ca", "extendedKeyUsage=clientAuth");
        await SignedAsync(folder, "bob", "/CN=bob", "ca", "extendedKeyUsage=clientAuth");
        await SignedAsync(folder, "rogue", "/CN=alice", "rogue-ca", "extendedKeyUsage=clientAuth");
        await OpenSslAsync(folder, "genrsa", "-out", "other.key", "2048");
        foreach (var file in Directory.EnumerateFiles(folder.Path))
        {
            ConfFolder.AllowRead(file);
        }
    }

    /// <summary>A new certificate for the server's own key (a renewal), written to <paramref name="name"/>.crt.</summary>
    public static Task RenewServerAsync(ConfFolder folder, string name, string subject) =>
        SignExistingKeyAsync(folder, name, "server", subject, "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");

    private static Task SelfSignedAsync(ConfFolder folder, string name, string subject) =>
        OpenSslAsync(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{name}.key", "-out", $"{name}.crt", "-days", "2",
            "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private static async Task SignedAsync(ConfFolder folder, string name, string subject, string ca, string extensions)
    {
        await OpenSslAsync(folder, "genrsa", "-out", $"{name}.key", "2048");
        await SignExistingKeyAsync(folder, name, name, subject, ca, extensions);
    }

    private static async Task SignExistingKeyAsync(ConfFolder folder, string name, string key, string subject, string ca, string extensions)
    {
        await OpenSslAsync(folder, "req", "-new", "-key", $"{key}.key", "-out", $"{name}.csr", "-subj", subject);
        folder.Write($"{name}.ext", extensions);
        await OpenSslAsync(folder, "x509", "-req", "-in", $"{name}.csr", "-CA", $"{ca}.crt", "-CAkey", $"{ca}.key", "-CAcreateserial",
            "-out", $"{name}.crt", "-days", "2", "-extfile", $"{name}.ext");
        ConfFolder.AllowRead(folder.Combine($"{name}.crt"));
    }

    private static async Task OpenSslAsync(ConfFolder folder, params string[] arguments)
    {
        using var process = ExternalProcess.Start("/usr/bin/openssl", arguments, stdin: null, workingDirectory: folder.Path);
        var code = await process.WaitForExitAsync(Timeout);
        Assert.That(code, Is.Zero, $"openssl {string.Join(' ', arguments)}: {process.Describe()}");
    }
}

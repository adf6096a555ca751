namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// TLS listeners from a mosquitto.conf (certfile, keyfile, cafile, require_certificate, use_identity_as_username,
/// tls_version, ciphers), with throw-away certificates made by openssl, checked with Debian's mosquitto_pub and
/// mosquitto_sub (--cafile, --cert/--key) and openssl s_client.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class TlsListenerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Tls_listener_carries_mqtt_for_mosquitto_clients_that_trust_its_ca_and_refuses_plain_mqtt()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        var port = FreePort.Next();
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "certfile server.crt", "keyfile server.key", "allow_anonymous true");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [port]);
        var ca = folder.Combine("ca.crt");

        var (code, _, error) = await MosquittoClients.PublishAsync(port, "--cafile", ca, "-q", "1", "-r", "-t", "tls/hello", "-m", "over TLS");
        Assert.That(code, Is.Zero, error);

        // Retained, so the subscriber gets it whenever its subscription lands.
        using var subscriber = MosquittoClients.StartSubscriber(port, "--cafile", ca, "-t", "tls/#", "-C", "1", "-v", "-i", "tls-sub");
        Assert.That(await subscriber.WaitForExitAsync(Timeout), Is.Zero, subscriber.Describe());
        Assert.That(subscriber.StandardOutput.Trim(), Is.EqualTo("tls/hello over TLS"));
        var (plain, _, _) = await MosquittoClients.PublishAsync(port, "-t", "tls/plain", "-m", "x");
        Assert.That(plain, Is.Not.Zero, "plain MQTT to a TLS port gets no CONNACK");
        var (untrusted, _, _) = await MosquittoClients.PublishAsync(port, "--cafile", folder.Combine("rogue-ca.crt"), "-t", "tls/x", "-m", "x");
        Assert.That(untrusted, Is.Not.Zero, "a client that does not trust the server's CA hangs up");
    }

    [Test]
    public async Task Required_client_certificate_must_be_signed_by_the_cafile_and_its_CN_becomes_the_user_name()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        var port = FreePort.Next();
        folder.Write("acl", "user alice", "topic readwrite alice/#");
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "certfile server.crt", "keyfile server.key", "cafile ca.crt",
            "require_certificate true", "use_identity_as_username true", "acl_file acl");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [port]);
        string[] alice = ["--cafile", folder.Combine("ca.crt"), "--cert", folder.Combine("alice.crt"), "--key", folder.Combine("alice.key")];

        using var subscriber = MosquittoClients.StartSubscriber(port, [.. alice, "-t", "#", "-v", "-i", "alice-sub", "-W", "10"]);
        await Eventually.HoldsAsync(
            async () => (await MosquittoClients.PublishAsync(port, [.. alice, "-q", "1", "-t", "alice/probe", "-m", "p"])).ExitCode == 0
                && subscriber.StandardOutput.Contains("alice/probe", StringComparison.Ordinal),
            () => $"alice's subscriber is receiving: {subscriber.Describe()}", TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(100));
        var (own, _, ownError) = await MosquittoClients.PublishAsync(port, [.. alice, "-q", "1", "-t", "alice/ok", "-m", "mine"]);
        var (other, _, _) = await MosquittoClients.PublishAsync(port, [.. alice, "-q", "1", "-t", "bob/no", "-m", "not mine"]);
        var (noCertificate, _, _) = await MosquittoClients.PublishAsync(port, "--cafile", folder.Combine("ca.crt"), "-t", "alice/x", "-m", "x");
        var (rogue, _, _) = await MosquittoClients.PublishAsync(port, "--cafile", folder.Combine("ca.crt"), "--cert", folder.Combine("rogue.crt"),
            "--key", folder.Combine("rogue.key"), "-t", "alice/x", "-m", "x");
        await subscriber.WaitForExitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(own, Is.Zero, ownError);
            Assert.That(other, Is.Zero, "3.1.1: a PUBLISH the ACL refuses is acknowledged and dropped, as Mosquitto does");
            Assert.That(subscriber.StandardOutput, Does.Contain("alice/ok mine"), "the CN 'alice' is the user name the ACL knows");
            Assert.That(subscriber.StandardOutput, Does.Not.Contain("bob/no"));
            Assert.That(noCertificate, Is.Not.Zero, "no client certificate: the handshake fails");
            Assert.That(rogue, Is.Not.Zero, "a certificate from another CA (same CN) is refused at the handshake");
        });
    }

    [Test]
    public async Task Identity_as_user_name_without_a_client_certificate_is_bad_user_name_or_password()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        var port = FreePort.Next();
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "certfile server.crt", "keyfile server.key", "cafile ca.crt",
            "use_identity_as_username true");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [port]);
        var ca = folder.Combine("ca.crt");

        var (v311, _, _) = await MosquittoClients.PublishAsync(port, "--cafile", ca, "-t", "x", "-m", "x", "-u", "alice", "-P", "anything");
        var (v5, _, _) = await MosquittoClients.PublishAsync(port, "--cafile", ca, "-t", "x", "-m", "x", "-V", "mqttv5");
        var (withCertificate, _, error) = await MosquittoClients.PublishAsync(port, "--cafile", ca, "--cert", folder.Combine("bob.crt"),
            "--key", folder.Combine("bob.key"), "-t", "x", "-m", "x");

        Assert.Multiple(() =>
        {
            Assert.That(v311, Is.EqualTo(4), "3.1.1 return code 4, bad user name or password");
            Assert.That(v5, Is.EqualTo(0x86), "5.0 reason 0x86");
            Assert.That(withCertificate, Is.Zero, $"the certificate is optional on this listener and names the user when given: {error}");
        });
    }

    [Test]
    public async Task Tls_version_and_ciphers_limit_what_a_handshake_may_use()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        var (onlyTls13, onlyAes128) = (FreePort.Next(), FreePort.Next());
        folder.Write("mosquitto.conf",
            $"listener {onlyTls13} 127.0.0.1", "certfile server.crt", "keyfile server.key", "tls_version tlsv1.3",
            $"listener {onlyAes128} 127.0.0.1", "certfile server.crt", "keyfile server.key", "ciphers ECDHE-RSA-AES128-GCM-SHA256",
            "allow_anonymous true");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [onlyTls13, onlyAes128]);

        Assert.Multiple(async () =>
        {
            Assert.That(await HandshakeAsync(folder, onlyTls13, "-tls1_3"), Is.True, "TLS 1.3");
            Assert.That(await HandshakeAsync(folder, onlyTls13, "-tls1_2"), Is.False, "TLS 1.2 is below tls_version");
            Assert.That(await HandshakeAsync(folder, onlyAes128, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), Is.True, "the listed suite");
            Assert.That(await HandshakeAsync(folder, onlyAes128, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"), Is.False, "a suite not listed");
            Assert.That(await HandshakeAsync(folder, onlyAes128, "-tls1_3"), Is.True, "TLS 1.3 keeps its own suites (ciphers is for TLS 1.2)");
        });
    }

    /// <summary>Whether openssl s_client completes a handshake with the listener (trusting the test CA).</summary>
    internal static async Task<bool> HandshakeAsync(ConfFolder folder, int port, params string[] options)
    {
        using var client = ExternalProcess.Start("/usr/bin/openssl",
            ["s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", folder.Combine("ca.crt"), "-verify_return_error", .. options], stdin: []);
        var code = await client.WaitForExitAsync(Timeout);
        return code == 0 && client.StandardOutput.Contains("Verify return code: 0 (ok)", StringComparison.Ordinal);
    }
}

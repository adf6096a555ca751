namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// Reloading the password file, the ACL file and the TLS certificate while clients stay connected: by SIGHUP (as with
/// Mosquitto; file watching off so that nothing else can have done it) and by a change of the files alone. A reload
/// that fails keeps what is in force and says so in one line.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class ReloadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Sighup_reloads_passwords_acl_and_certificate_while_a_subscriber_stays_connected()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", folder.Combine("passwd"), "alice", "s3cret");
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-b", folder.Combine("passwd"), "bob", "b0b");
        ConfFolder.AllowRead(folder.Combine("passwd"));
        folder.Write("acl", "user alice", "topic read a/#", "user bob", "topic write #");
        var (plain, tls) = (FreePort.Next(), FreePort.Next());
        folder.Write("mosquitto.conf", $"listener {plain} 127.0.0.1", $"listener {tls} 127.0.0.1", "certfile server.crt", "keyfile server.key",
            "password_file passwd", "acl_file acl");
        var broker = await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [plain, tls], "--Reload:WatchFiles", "false");

        using var alice = MosquittoClients.StartSubscriber(plain, "-u", "alice", "-P", "s3cret", "-i", "alice-sub", "-t", "a/#", "-t", "b/#", "-v", "-q", "1");
        await PublishUntilSeenAsync(plain, alice, "a/probe");
        await BobPublishesAsync(plain, "b/before");
        Assert.That(await PasswordFileTests.PublishAsync(plain, "-u", "dave", "-P", "d4ve"), Is.EqualTo(5), "dave is not a user yet");
        Assert.That(await ServerSubjectAsync(folder, tls), Does.Contain("CN=localhost").Or.Contain("CN = localhost"));

        folder.Write("acl", "user alice", "topic read b/#", "user bob", "topic write #");
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-b", folder.Combine("passwd"), "dave", "d4ve");
        await TestCertificates.RenewServerAsync(folder, "server", "/CN=renewed.localhost");
        await ConfFolder.HangUpAsync(broker);

        await broker.WaitForOutputAsync("TLS certificate of listener-" + tls + " reloaded", Timeout);
        Assert.That(await PasswordFileTests.PublishAsync(plain, "-u", "dave", "-P", "d4ve"), Is.Zero, $"dave after the reload: {broker.Describe()}");
        await BobPublishesAsync(plain, "a/after"); // alice's read right on a/# is withdrawn: from the next delivery on
        await PublishUntilSeenAsync(plain, alice, "b/after");
        Assert.Multiple(async () =>
        {
            Assert.That(alice.HasExited, Is.False, "the subscriber stayed connected through the reload");
            Assert.That(alice.StandardOutput, Does.Not.Contain("b/before"), "b/# was not readable before");
            Assert.That(alice.StandardOutput, Does.Not.Contain("a/after"), "a/# is no longer readable");
            Assert.That(await ServerSubjectAsync(folder, tls), Does.Contain("renewed.localhost"), "new handshakes get the new certificate");
        });

        folder.Write("acl", "user alice", "topic rw b/#");
        await ConfFolder.HangUpAsync(broker);
        await broker.WaitForOutputAsync("ACL files reload failed, the previous ones stay in force", Timeout);
        await PublishUntilSeenAsync(plain, alice, "b/still");
        Assert.That(broker.StandardOutput, Does.Contain("acl:2: unknown access 'rw'"), "the one line says where and why");
        Assert.That(broker.HasExited, Is.False);
    }

    [Test]
    public async Task A_change_of_the_password_file_alone_is_picked_up_without_a_signal()
    {
        using var folder = new ConfFolder();
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", folder.Combine("passwd"), "alice", "s3cret");
        ConfFolder.AllowRead(folder.Combine("passwd"));
        var port = FreePort.Next();
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "password_file passwd");
        var broker = await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [port]);
        Assert.That(await PasswordFileTests.PublishAsync(port, "-u", "dave", "-P", "d4ve"), Is.EqualTo(5));

        using (var passwd = AppExecutable.Start("passwd", "-b", folder.Combine("passwd"), "dave", "d4ve"))
        {
            Assert.That(await passwd.WaitForExitAsync(Timeout), Is.Zero, passwd.Describe());
        }

        await broker.WaitForOutputAsync("Password files reloaded", Timeout);
        Assert.That(await PasswordFileTests.PublishAsync(port, "-u", "dave", "-P", "d4ve"), Is.Zero, broker.Describe());
        Assert.That(await PasswordFileTests.PublishAsync(port, "-u", "alice", "-P", "s3cret"), Is.Zero);
    }

    private static async Task BobPublishesAsync(int port, string topic)
    {
        var (code, _, error) = await MosquittoClients.PublishAsync(port, "-u", "bob", "-P", "b0b", "-q", "1", "-t", topic, "-m", "m");
        Assert.That(code, Is.Zero, error);
    }

    /// <summary>Bob publishes <paramref name="topic"/> until it shows on the subscriber's output (its subscription may
    /// land after the first attempts).</summary>
    private static Task PublishUntilSeenAsync(int port, ExternalProcess subscriber, string topic) =>
        Eventually.HoldsAsync(
            async () =>
            {
                await BobPublishesAsync(port, topic);
                return subscriber.StandardOutput.Contains(topic + " m", StringComparison.Ordinal);
            },
            () => $"{topic} reaches the subscriber: {subscriber.Describe()}", Timeout, TimeSpan.FromMilliseconds(200));

    private static async Task<string> ServerSubjectAsync(ConfFolder folder, int port)
    {
        using var client = ExternalProcess.Start("/usr/bin/openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", folder.Combine("ca.crt")], stdin: []);
        await client.WaitForExitAsync(Timeout);
        return client.StandardOutput.Split('\n').FirstOrDefault(line => line.StartsWith("subject=", StringComparison.Ordinal)) ?? client.Describe();
    }
}

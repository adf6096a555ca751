namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// `-c mosquitto.conf` with a password_file, end to end with clients nobody here wrote: Debian's mosquitto_passwd
/// writes the file EmbeddedBroker reads, EmbeddedBroker's passwd writes the file Debian's mosquitto reads, and the
/// refusals carry the codes Mosquitto 2.0 sends (mosquitto_pub's exit code is the CONNACK code: 3.1.1 return code 5,
/// MQTT 5 reason 0x87 = 135, 0x86 = 134).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class PasswordFileTests
{
    private const int NotAuthorized311 = 5;
    private const int NotAuthorized5 = 0x87;

    [Test]
    public async Task File_written_by_mosquitto_passwd_lets_its_users_in_and_refuses_wrong_passwords_and_anonymous_clients()
    {
        using var folder = new ConfFolder();
        await RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", folder.Combine("passwd"), "alice", "s3cret");
        await RunAsync("/usr/bin/mosquitto_passwd", "-b", folder.Combine("passwd"), "bob", "hunter2 with spaces");
        await RunAsync("/usr/bin/mosquitto_passwd", "-H", "sha512", "-b", folder.Combine("passwd"), "carol", "old-style");
        ConfFolder.AllowRead(folder.Combine("passwd"));
        var port = FreePort.Next();
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "password_file passwd");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [port]);

        Assert.Multiple(async () =>
        {
            Assert.That(await PublishAsync(port, "-u", "alice", "-P", "s3cret"), Is.Zero, "alice ($7$)");
            Assert.That(await PublishAsync(port, "-u", "bob", "-P", "hunter2 with spaces"), Is.Zero, "bob ($7$)");
            Assert.That(await PublishAsync(port, "-u", "carol", "-P", "old-style"), Is.Zero, "carol ($6$, -H sha512)");
            Assert.That(await PublishAsync(port, "-u", "carol", "-P", "old-style", "-V", "mqttv5"), Is.Zero, "carol over MQTT 5");
            Assert.That(await PublishAsync(port, "-u", "alice", "-P", "wrong"), Is.EqualTo(NotAuthorized311), "wrong password, 3.1.1");
            Assert.That(await PublishAsync(port, "-u", "alice", "-P", "wrong", "-V", "mqttv5"), Is.EqualTo(NotAuthorized5), "wrong password, 5.0");
            Assert.That(await PublishAsync(port, "-u", "mallory", "-P", "s3cret"), Is.EqualTo(NotAuthorized311), "unknown user");
            Assert.That(await PublishAsync(port), Is.EqualTo(NotAuthorized311), "anonymous, 3.1.1 (Mosquitto 2.0: no allow_anonymous = false)");
            Assert.That(await PublishAsync(port, "-V", "mqttv5"), Is.EqualTo(NotAuthorized5), "anonymous, 5.0");
            Assert.That(await PublishAsync(port, "-V", "mqttv31"), Is.EqualTo(NotAuthorized311), "anonymous, 3.1");
        });
    }

    [Test]
    public async Task File_written_by_EmbeddedBroker_passwd_is_accepted_by_Debians_mosquitto()
    {
        using var folder = new ConfFolder();
        using (var passwd = AppExecutable.Start("passwd", "-c", "-b", folder.Combine("passwd"), "alice", "s3cret"))
        {
            Assert.That(await passwd.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, passwd.Describe());
        }

        using (var passwd = AppExecutable.Start("passwd", "-H", "sha512", "-b", folder.Combine("passwd"), "carol", "old-style"))
        {
            Assert.That(await passwd.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, passwd.Describe());
        }

        ConfFolder.AllowRead(folder.Combine("passwd"));
        var port = FreePort.Next();
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "password_file passwd");
        var mosquitto = await folder.StartMosquittoAsync("mosquitto.conf", [port]);

        Assert.Multiple(async () =>
        {
            Assert.That(await PublishAsync(port, "-u", "alice", "-P", "s3cret"), Is.Zero, $"alice: {mosquitto.Describe()}");
            Assert.That(await PublishAsync(port, "-u", "carol", "-P", "old-style"), Is.Zero, "carol ($6$)");
            Assert.That(await PublishAsync(port, "-u", "alice", "-P", "wrong"), Is.EqualTo(NotAuthorized311), "wrong password");
        });
    }

    [Test]
    public async Task Listener_with_allow_anonymous_true_lets_clients_without_user_name_in_beside_the_password_users()
    {
        using var folder = new ConfFolder();
        await RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", folder.Combine("passwd"), "alice", "s3cret");
        ConfFolder.AllowRead(folder.Combine("passwd"));
        var (open, closed) = (FreePort.Next(), FreePort.Next());
        folder.Write("mosquitto.conf",
            "per_listener_settings true",
            $"listener {open} 127.0.0.1", "allow_anonymous true", "password_file passwd",
            $"listener {closed} 127.0.0.1", "password_file passwd");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [open, closed]);

        Assert.Multiple(async () =>
        {
            Assert.That(await PublishAsync(open), Is.Zero, "anonymous where allowed");
            Assert.That(await PublishAsync(open, "-u", "alice", "-P", "wrong"), Is.EqualTo(NotAuthorized311), "a user name with a wrong password is still refused");
            Assert.That(await PublishAsync(closed), Is.EqualTo(NotAuthorized311), "anonymous on the other listener");
            Assert.That(await PublishAsync(closed, "-u", "alice", "-P", "s3cret"), Is.Zero);
        });
    }

    /// <summary>mosquitto_pub's exit code for one QoS 1 message (0, or the CONNACK code).</summary>
    internal static async Task<int> PublishAsync(int port, params string[] options)
    {
        var (code, _, _) = await MosquittoClients.PublishAsync(port, ["-q", "1", "-t", "check/in", "-m", "x", .. options]);
        return code;
    }

    internal static async Task RunAsync(string tool, params string[] arguments)
    {
        var (code, output, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), tool, arguments);
        Assert.That(code, Is.Zero, $"{tool} {string.Join(' ', arguments)}: {output} {error}");
    }
}

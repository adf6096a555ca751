using System.Text;
using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Security.Passwords;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Interop;

/// <summary>Password files are interchangeable both ways with Debian's mosquitto 2.0.11 and its mosquitto_passwd.</summary>
[NonParallelizable]
public class PasswordFileInteropTests
{
    private const string MosquittoPasswd = "/usr/bin/mosquitto_passwd";
    private const string MosquittoPub = "/usr/bin/mosquitto_pub";

    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task A_file_written_by_mosquitto_passwd_verifies_in_PasswordFile()
    {
        var path = _directory.File("pw");
        await Passwd("-c", "-b", path, "alice", "secret");
        await Passwd("-b", path, "bob", "naïve pass");
        await Passwd("-H", "sha512", "-b", path, "carol", "c");
        await Passwd("-I", "1000", "-b", path, "dave", "d");
        await Passwd("-b", path, "alice", "changed");

        var file = PasswordFile.Load(path);
        Assert.That(file.Usernames, Is.EquivalentTo(new[] { "alice", "bob", "carol", "dave" }));
        Assert.That(file.Check("alice", "changed"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("alice", "secret"u8), Is.EqualTo(PasswordCheck.WrongPassword));
        Assert.That(file.Check("bob", Encoding.UTF8.GetBytes("naïve pass")), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("carol", "c"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("dave", "d"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.TryGetHash("dave", out var dave) && dave!.Iterations == 1000, Is.True);
    }

    [Test]
    public async Task A_file_written_by_PasswordFileEditor_is_accepted_by_Debians_mosquitto()
    {
        var path = _directory.File("pw");
        PasswordFileEditor.Create(path, "alice", "secret");
        PasswordFileEditor.SetPassword(path, "carol", "pässwörd", PasswordHashType.Sha512);
        PasswordFileEditor.SetPassword(path, "dave", "d", iterations: 1000);

        using var broker = await MosquittoBroker.StartAsync(_directory, "allow_anonymous false", $"password_file {path}");

        Assert.That(await Publish(broker, "alice", "secret"), Is.Zero);
        Assert.That(await Publish(broker, "carol", "pässwörd"), Is.Zero);
        Assert.That(await Publish(broker, "dave", "d"), Is.Zero);
        // mosquitto_pub's exit code is the CONNACK code: 5 (3.1.1 Not authorized) and 135 (5.0 0x87) for a wrong password.
        Assert.That(await Publish(broker, "alice", "wrong"), Is.EqualTo(5));
        Assert.That(await Publish(broker, "alice", "wrong", "mqttv5"), Is.EqualTo(0x87));
    }

    [Test]
    public async Task Each_tool_edits_a_file_the_other_wrote()
    {
        var path = _directory.File("pw");
        await Passwd("-c", "-b", path, "alice", "a");
        await Passwd("-b", path, "bob", "b");

        PasswordFileEditor.SetPassword(path, "carol", "c");
        PasswordFileEditor.Delete(path, "alice");
        await Passwd("-b", path, "carol", "c2");
        await Passwd("-b", path, "erin", "e");
        PasswordFileEditor.SetPassword(path, "bob", "b2");

        var file = PasswordFile.Load(path);
        Assert.That(file.Usernames, Is.EquivalentTo(new[] { "bob", "carol", "erin" }));
        Assert.That(file.Check("bob", "b2"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("carol", "c2"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("erin", "e"u8), Is.EqualTo(PasswordCheck.Accepted));
    }

    [Test]
    public async Task A_plain_text_file_upgraded_by_PasswordFileEditor_is_accepted_by_Debians_mosquitto()
    {
        var path = _directory.Write("pw", "alice:secret\nbob:b\n");
        PasswordFileEditor.Upgrade(path);

        using var broker = await MosquittoBroker.StartAsync(_directory, "allow_anonymous false", $"password_file {path}");
        Assert.That(await Publish(broker, "alice", "secret"), Is.Zero);
        Assert.That(await Publish(broker, "bob", "b"), Is.Zero);
        Assert.That(await Publish(broker, "bob", "secret"), Is.EqualTo(5));
    }

    private static async Task Passwd(params string[] arguments)
    {
        var result = await ExternalTool.RunAsync(MosquittoPasswd, arguments);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
    }

    private static async Task<int> Publish(MosquittoBroker broker, string user, string password, string version = "mqttv311")
    {
        var result = await ExternalTool.RunAsync(MosquittoPub,
            ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", version,
             "-u", user, "-P", password, "-t", "interop/test", "-m", "x"]);
        return result.ExitCode;
    }
}

namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// An ACL file of every kind of line (read, write, readwrite, deny, %c and %u patterns, rules for anonymous clients)
/// enforced by EmbeddedBroker run on a mosquitto.conf, seen by clients nobody here wrote: mosquitto_sub and
/// mosquitto_pub (3.1.1 and 5), a python3 paho reader over MQTT 5, wills left by mosquitto_sub killed with SIGKILL,
/// and retained messages. What each reader gets is compared with the exact list the rules allow.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class AclMatrixTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string PahoReader = Path.Combine(AppContext.BaseDirectory, "Scripts", "paho_reader.py");

    private static readonly string[] Acl =
    [
        "# anonymous clients: the lines before the first user line",
        "topic read public/#",
        "topic write anon/in",
        "",
        "user alice",
        "topic readwrite chat/#",
        "topic read sensors/#",
        "topic deny sensors/secret/#",
        "topic write alice/out/#",
        "",
        "user bob",
        "topic write #",
        "topic read chat/#",
        "",
        "pattern readwrite devices/%c/#",
        "pattern read inbox/%u/#",
    ];

    [Test]
    public async Task Every_reader_gets_exactly_what_its_rules_allow_live_retained_and_wills()
    {
        using var folder = new ConfFolder();
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", folder.Combine("passwd"), "alice", "a");
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-b", folder.Combine("passwd"), "bob", "b");
        ConfFolder.AllowRead(folder.Combine("passwd"));
        folder.Write("acl", Acl);
        var port = FreePort.Next();
        folder.Write("mosquitto.conf", $"listener {port} 127.0.0.1", "allow_anonymous true", "password_file passwd", "acl_file acl");
        var broker = await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [port]);
        string[] alice = ["-u", "alice", "-P", "a"];
        string[] bob = ["-u", "bob", "-P", "b"];

        // Retained before anyone reads.
        foreach (var topic in new[] { "sensors/temp", "sensors/secret/key", "public/news", "chat/room", "inbox/alice/1", "inbox/bob/1" })
        {
            await PublishAsync(port, [.. bob, "-r", "-t", topic, "-m", "kept"]);
        }

        using var aliceReader = MosquittoClients.StartSubscriber(port, [.. alice, "-i", "alice-dev", "-t", "#", "-q", "1", "-F", "%t %p %r"]);
        using var anonymousReader = MosquittoClients.StartSubscriber(port, "-i", "anon-reader", "-t", "#", "-q", "1", "-F", "%t %p %r");
        using var bobReader = ExternalProcess.Start(ThirdPartyTools.Python, PahoReader, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "bob-reader", "bob", "b", "5", "chat/end", "#");
        await bobReader.WaitForOutputAsync("subscribed 1", Timeout);
        await Eventually.HoldsAsync(() => aliceReader.StandardOutput.Contains("chat/room kept 1", StringComparison.Ordinal)
            && anonymousReader.StandardOutput.Contains("public/news kept 1", StringComparison.Ordinal), "the mosquitto_sub readers are subscribed", Timeout);

        // Live messages: bob may write anywhere; alice and anonymous clients only where their rules say.
        foreach (var topic in new[] { "sensors/temp", "sensors/secret/live", "chat/room", "public/news", "devices/alice-dev/x", "inbox/alice/2", "alice/out/1" })
        {
            await PublishAsync(port, [.. bob, "-t", topic, "-m", "live"]);
        }

        await PublishAsync(port, [.. alice, "-i", "alice-pub", "-t", "chat/room", "-m", "from-alice"]);
        await PublishAsync(port, [.. alice, "-i", "alice-pub", "-t", "sensors/temp", "-m", "from-alice"]); // read only: dropped
        await PublishAsync(port, [.. alice, "-i", "alice-pub", "-t", "devices/alice-pub/mine", "-m", "from-alice"]); // %c = alice-pub
        await PublishAsync(port, [.. alice, "-i", "alice-pub", "-t", "devices/alice-dev/steal", "-m", "from-alice"]); // not its %c
        await PublishAsync(port, "-i", "anon-pub", "-t", "anon/in", "-m", "from-anon");
        await PublishAsync(port, "-i", "anon-pub", "-t", "public/news", "-m", "from-anon"); // anonymous may only read it
        var (_, _, refusedV5) = await MosquittoClients.PublishAsync(port, [.. alice, "-V", "mqttv5", "-q", "1", "-t", "sensors/temp", "-m", "v5"]);

        // Wills: alice may write chat/room but not sensors/temp; bob may write sensors/secret/will, which alice may not read.
        await LeaveWillAsync(port, broker, [.. alice, "-i", "alice-bad-will", "--will-topic", "sensors/temp", "--will-payload", "bad-will"]);
        await LeaveWillAsync(port, broker, [.. bob, "-i", "bob-secret-will", "--will-topic", "sensors/secret/will", "--will-payload", "secret-will"]);
        await LeaveWillAsync(port, broker, [.. alice, "-i", "alice-will", "--will-topic", "chat/room", "--will-payload", "alice-gone"]);
        await Eventually.HoldsAsync(() => aliceReader.StandardOutput.Contains("chat/room alice-gone", StringComparison.Ordinal), "alice's will arrives", Timeout);

        await PublishAsync(port, [.. bob, "-t", "chat/end", "-m", "end"]);
        await PublishAsync(port, [.. bob, "-t", "public/end", "-m", "end"]);
        Assert.That(await bobReader.WaitForExitAsync(Timeout), Is.Zero, bobReader.Describe());
        await Eventually.HoldsAsync(() => aliceReader.StandardOutput.Contains("chat/end end 0", StringComparison.Ordinal)
            && anonymousReader.StandardOutput.Contains("public/end end 0", StringComparison.Ordinal), "the end markers arrive", Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(Lines(aliceReader.StandardOutput), Is.EquivalentTo(new[]
            {
                "sensors/temp kept 1", "chat/room kept 1", "inbox/alice/1 kept 1",
                "sensors/temp live 0", "chat/room live 0", "devices/alice-dev/x live 0", "inbox/alice/2 live 0",
                "chat/room from-alice 0", "chat/room alice-gone 0", "chat/end end 0",
            }), "alice: her own lines (sensors/secret/# denied), her %c and %u patterns");
            Assert.That(Lines(anonymousReader.StandardOutput), Is.EquivalentTo(new[] { "public/news kept 1", "public/news live 0", "public/end end 0" }),
                "anonymous: the lines before the first user line");
            Assert.That(Lines(bobReader.StandardOutput), Is.EquivalentTo(new[]
            {
                "subscribed 1", "chat/room kept (retained)", "inbox/bob/1 kept (retained)",
                "chat/room live", "chat/room from-alice", "chat/room alice-gone", "chat/end end",
            }), "bob over paho MQTT 5: chat/# and his %u inbox");
            Assert.That(refusedV5, Does.Contain("Not authorized"), "MQTT 5: the refused PUBLISH gets PUBACK 0x87");
        });
    }

    private static async Task PublishAsync(int port, params string[] options)
    {
        var (code, _, error) = await MosquittoClients.PublishAsync(port, ["-q", "1", .. options]);
        Assert.That(code, Is.Zero, error);
    }

    /// <summary>Connects a mosquitto_sub with a will, then kills it (no DISCONNECT) and waits until the broker has seen it go.</summary>
    private static async Task LeaveWillAsync(int port, ExternalProcess broker, params string[] options)
    {
        var clientId = options[Array.IndexOf(options, "-i") + 1];
        using var client = MosquittoClients.StartSubscriber(port, [.. options, "-t", "will/ready/" + clientId, "-q", "1"]);
        await broker.WaitForOutputAsync($"Client {clientId} connected", Timeout);
        client.Kill();
        await broker.WaitForOutputAsync($"Client {clientId} disconnected", Timeout);
    }

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

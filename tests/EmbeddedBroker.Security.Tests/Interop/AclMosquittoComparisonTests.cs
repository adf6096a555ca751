using System.Globalization;
using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Interop;

/// <summary>
/// The same ACL file under Debian's mosquitto 2.0.11 and under <see cref="AclAuthorizer"/> gives the same answers:
/// which publishes get through (seen by a monitor allowed to read everything) and which messages each client receives
/// with a '#' subscription, for topic lines, deny, patterns with %c and %u, anonymous lines and $SYS.
/// </summary>
[NonParallelizable]
public class AclMosquittoComparisonTests
{
    private const string MosquittoPub = "/usr/bin/mosquitto_pub";
    private const string MosquittoSub = "/usr/bin/mosquitto_sub";

    private const string Acl = """
        topic read public/#
        topic deny public/private/#
        user alice
        topic read sensors/#
        topic write commands/alice/#
        topic readwrite chat/#
        topic deny sensors/secret/#
        topic read $SYS/broker/uptime
        user monitor
        topic read #
        user writer
        topic write #
        pattern readwrite devices/%c/#
        pattern read users/%u/inbox
        pattern deny chat/%u/muted
        pattern readwrite chat/%u/#
        pattern write a/%c/%u
        """;

    private static readonly string[] Topics =
    [
        "public/news", "public/private/x", "sensors/kitchen", "sensors/secret/k", "sensors", "commands/alice/l",
        "chat/room", "chat/alice/muted", "chat/carol/muted", "chat/carol/x", "devices/dev1/s", "devices/dev1", "devices/dev2/s",
        "users/carol/inbox", "users/alice/inbox", "a/dev2/carol", "a/dev1/carol", "elsewhere/x",
    ];

    private static readonly string[] SysTopics = ["$SYS/broker/uptime", "$SYS/broker/version"];

    // (user, password, client id); null user is anonymous.
    private static readonly (string? User, string? Password, string ClientId)[] Identities =
    [
        ("alice", "a", "dev1"), ("carol", "c", "dev2"), (null, null, "anon1"),
    ];

    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Mosquitto_and_AclAuthorizer_agree_on_every_read_and_write_of_the_matrix()
    {
        var passwords = _directory.File("pw");
        PasswordFileEditor.Create(passwords, "alice", "a");
        foreach (var (user, password) in new[] { ("carol", "c"), ("monitor", "m"), ("writer", "w") })
        {
            PasswordFileEditor.SetPassword(passwords, user, password);
        }
        var aclPath = _directory.Write("acl", Acl);
        using var broker = await MosquittoBroker.StartAsync(_directory,
            "allow_anonymous true", $"password_file {passwords}", $"acl_file {aclPath}", "sys_interval 1");
        var acl = new AclAuthorizer(new SecurityOptions { Default = { AclFile = aclPath } });

        var mismatches = new List<string>();
        var writes = await ObserveWritesAsync(broker);
        var reads = await ObserveReadsAsync(broker);
        foreach (var (user, _, clientId) in Identities)
        {
            var identity = Clients.Identity(clientId, user);
            foreach (var topic in Topics)
            {
                Compare(mismatches, "write", user, topic, writes.Contains((clientId, topic)), acl.MayWrite(identity, topic));
            }
            foreach (var topic in Topics.Concat(SysTopics))
            {
                Compare(mismatches, "read", user, topic, reads.Contains((clientId, topic)), acl.MayRead(identity, topic));
            }
        }

        Assert.That(mismatches, Is.Empty, $"writes through: {string.Join(", ", writes)}; reads: {string.Join(", ", reads)}");
        Assert.That(writes, Has.Count.GreaterThan(3), "the matrix allows some writes");
        Assert.That(reads, Has.Count.GreaterThan(3), "and some reads");
    }

    private static void Compare(List<string> mismatches, string access, string? user, string topic, bool mosquitto, bool ours)
    {
        if (mosquitto != ours)
        {
            mismatches.Add($"{access} {topic} by {user ?? "anonymous"}: mosquitto {(mosquitto ? "allows" : "refuses")}, AclAuthorizer {(ours ? "allows" : "refuses")}");
        }
    }

    /// <summary>Each identity publishes "clientId" on every topic; a monitor that reads everything sees what got through.</summary>
    private static async Task<HashSet<(string ClientId, string Topic)>> ObserveWritesAsync(MosquittoBroker broker)
    {
        using var monitor = Subscribe(broker, "monitor", "m", "monitor");
        await monitor.WaitForLineAsync(l => l.StartsWith("Subscribed", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        foreach (var (user, password, clientId) in Identities)
        {
            foreach (var topic in Topics)
            {
                var result = await ExternalTool.RunAsync(MosquittoPub, [.. Connection(broker, user, password, clientId), "-q", "1", "-t", topic, "-m", clientId]);
                Assert.That(result.ExitCode, Is.Zero, result.Error);
            }
        }
        // The end marker: once the monitor has it, every earlier publish has been routed.
        await ExternalTool.RunAsync(MosquittoPub, [.. Connection(broker, "writer", "w", "writer"), "-q", "1", "-t", "end", "-m", "end"]);
        await monitor.WaitForLineAsync(l => l == "end end", TimeSpan.FromSeconds(10));
        return Received(monitor.Lines, Topics, Identities.Select(i => i.ClientId).ToArray(), byPayload: true);
    }

    /// <summary>Each identity subscribes to '#' and '$SYS/#' (always granted, as Mosquitto 2.0 grants every subscription);
    /// a writer then publishes on every topic; what each receives is what it may read.</summary>
    private static async Task<HashSet<(string ClientId, string Topic)>> ObserveReadsAsync(MosquittoBroker broker)
    {
        var subscribers = Identities.Select(i => (i.ClientId, Process: Subscribe(broker, i.User, i.Password, i.ClientId))).ToList();
        try
        {
            foreach (var (_, process) in subscribers)
            {
                var suback = await process.WaitForLineAsync(l => l.StartsWith("Subscribed", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                Assert.That(suback, Does.EndWith(": 1, 1"), "every filter granted with QoS 1, none refused (0x80)");
            }
            foreach (var topic in Topics.Append("end"))
            {
                await ExternalTool.RunAsync(MosquittoPub, [.. Connection(broker, "writer", "w", "writer"), "-q", "1", "-t", topic, "-m", "w"]);
            }
            // "end" is readable by nobody but is published last; a short wait lets the last deliveries arrive.
            await Task.Delay(500);
            var received = new HashSet<(string, string)>();
            foreach (var (clientId, process) in subscribers)
            {
                foreach (var topic in Topics.Concat(SysTopics))
                {
                    if (process.Lines.Any(l => l.StartsWith(topic + " ", StringComparison.Ordinal)))
                    {
                        received.Add((clientId, topic));
                    }
                }
            }
            return received;
        }
        finally
        {
            subscribers.ForEach(s => s.Process.Dispose());
        }
    }

    private static LineCollectingProcess Subscribe(MosquittoBroker broker, string? user, string? password, string clientId) =>
        LineCollectingProcess.Start(MosquittoSub, [.. Connection(broker, user, password, clientId), "-d", "-v", "-q", "1", "-t", "#", "-t", "$SYS/#"]);

    private static string[] Connection(MosquittoBroker broker, string? user, string? password, string clientId)
    {
        var arguments = new List<string> { "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-i", clientId };
        if (user is not null)
        {
            arguments.AddRange(["-u", user, "-P", password!]);
        }
        return [.. arguments];
    }

    private static HashSet<(string, string)> Received(IEnumerable<string> lines, string[] topics, string[] clientIds, bool byPayload)
    {
        var received = new HashSet<(string, string)>();
        var all = lines.ToHashSet();
        foreach (var topic in topics)
        {
            foreach (var clientId in clientIds)
            {
                if (byPayload && all.Contains($"{topic} {clientId}"))
                {
                    received.Add((clientId, topic));
                }
            }
        }
        return received;
    }
}

using System.Globalization;

namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// One mosquitto.conf (plain, TLS and client-certificate listeners, max_connections, a password file, an ACL file) run
/// under Debian's mosquitto 2.0 and under EmbeddedBroker, each answering the same script of mosquitto_pub and
/// mosquitto_sub runs: every exit code (the CONNACK code, or how the connection failed) and every message a reader got
/// must be the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MosquittoSideBySideTests
{
    private static readonly string[] Acl =
    [
        "topic read public/#",
        "user alice",
        "topic readwrite chat/#",
        "topic read sensors/#",
        "topic deny sensors/secret/#",
        "user bob",
        "topic write #",
        "pattern read inbox/%u/#",
    ];

    [Test]
    public async Task Same_mosquitto_conf_gives_the_same_answers_under_Debians_mosquitto_and_EmbeddedBroker()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", folder.Combine("passwd"), "alice", "a");
        await PasswordFileTests.RunAsync("/usr/bin/mosquitto_passwd", "-b", folder.Combine("passwd"), "bob", "b");
        ConfFolder.AllowRead(folder.Combine("passwd"));
        folder.Write("acl", Acl);

        var mosquittoPorts = Ports.Next();
        WriteConf(folder, "mosquitto.conf", mosquittoPorts);
        var mosquitto = await folder.StartMosquittoWithoutProbingAsync("mosquitto.conf");
        var theirs = await RunScriptAsync(folder, mosquittoPorts);
        mosquitto.Terminate();
        await mosquitto.WaitForExitAsync(TimeSpan.FromSeconds(10));

        var ourPorts = Ports.Next();
        WriteConf(folder, "embeddedbroker.conf", ourPorts);
        // The script's wrong passwords all come from 127.0.0.1: without this, EmbeddedBroker would make every later
        // attempt from that address wait (Mosquitto does not slow anyone down); the answers are what is compared.
        await folder.StartEmbeddedBrokerAsync("embeddedbroker.conf", ourPorts.All, "--Security:FailedLogins:MaximumDelay", "00:00:00");
        var ours = await RunScriptAsync(folder, ourPorts);

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, theirs.Zip(ours, (t, o) => t == o ? t : $"{t}  <>  {o}")));
        Assert.That(ours, Is.EqualTo(theirs), mosquitto.Describe());
    }

    private static void WriteConf(ConfFolder folder, string name, Ports ports) => folder.Write(name,
        $"listener {ports.Plain} 127.0.0.1",
        $"listener {ports.Tls} 127.0.0.1",
        "certfile server.crt",
        "keyfile server.key",
        $"listener {ports.Certificate} 127.0.0.1",
        "certfile server.crt",
        "keyfile server.key",
        "cafile ca.crt",
        "require_certificate true",
        "use_identity_as_username true",
        $"listener {ports.Single} 127.0.0.1",
        "max_connections 1",
        "allow_anonymous false",
        "password_file passwd",
        "acl_file acl",
        "log_dest stderr");

    /// <summary>The script: each step's outcome as one line, in order.</summary>
    private static async Task<List<string>> RunScriptAsync(ConfFolder folder, Ports ports)
    {
        var results = new List<string>();
        string[] alice = ["-u", "alice", "-P", "a"];
        string[] bob = ["-u", "bob", "-P", "b"];
        string[] tls = ["--cafile", folder.Combine("ca.crt")];
        string[] aliceCertificate = [.. tls, "--cert", folder.Combine("alice.crt"), "--key", folder.Combine("alice.key")];
        string[] rogueCertificate = [.. tls, "--cert", folder.Combine("rogue.crt"), "--key", folder.Combine("rogue.key")];

        // The exit code when a CONNACK came ("Connection error: ..." otherwise 0); a connection that ends before any
        // CONNACK (TLS refused, max_connections) as such, since mosquitto_pub's code for it depends on timing.
        async Task Publish(string step, int port, params string[] options)
        {
            var (code, _, error) = await MosquittoClients.PublishAsync(port, ["-q", "1", "-t", "chat/x", "-m", "x", .. options]);
            var outcome = code == 0 || error.Contains("Connection error:", StringComparison.Ordinal) ? $"exit {code}" : "connection failed before CONNACK";
            results.Add($"{step}: {outcome}{(error.Contains("Not authorized", StringComparison.Ordinal) ? " (publish not authorized)" : "")}");
        }

        // First, before any connection has ended without CONNECT (a failed TLS handshake): Debian's mosquitto 2.0.11
        // then miscounts the connections of its listeners (measured: max_connections 1 let a second client in).
        using (var holder = MosquittoClients.StartSubscriber(ports.Single, [.. alice, "-t", "chat/hold", "-i", "holder"]))
        {
            // The holder's connection has stayed up for 1.5 s (a refused first attempt, e.g. while the start-up probe's
            // connection was still counted, makes mosquitto_sub retry a second later). Its own output is block-buffered
            // into a pipe, so it cannot tell us.
            await HeldOpenAsync(ports.Single, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(20));
            await Publish("second client on a max_connections 1 listener", ports.Single, bob);
        }

        await Publish("anonymous 3.1.1", ports.Plain);
        await Publish("anonymous 5.0", ports.Plain, "-V", "mqttv5");
        await Publish("alice wrong password 3.1.1", ports.Plain, "-u", "alice", "-P", "nope");
        await Publish("alice wrong password 5.0", ports.Plain, "-u", "alice", "-P", "nope", "-V", "mqttv5");
        await Publish("unknown user", ports.Plain, "-u", "mallory", "-P", "a");
        await Publish("alice", ports.Plain, alice);
        await Publish("alice writes where she may only read, 5.0", ports.Plain, [.. alice, "-V", "mqttv5", "-t", "sensors/temp"]);
        await Publish("alice over TLS", ports.Tls, [.. alice, .. tls]);
        await Publish("anonymous over TLS", ports.Tls, tls);
        await Publish("plain MQTT to the TLS port", ports.Tls, alice);
        await Publish("alice's certificate", ports.Certificate, aliceCertificate);
        await Publish("no certificate", ports.Certificate, tls);
        await Publish("certificate of another CA", ports.Certificate, rogueCertificate);

        // Retained messages bob leaves, then what alice (by password, and by certificate) reads of them and of live ones.
        foreach (var topic in new[] { "sensors/temp", "sensors/secret/key", "chat/room", "public/news", "inbox/alice/1", "inbox/bob/1" })
        {
            await MosquittoClients.PublishAsync(ports.Plain, [.. bob, "-q", "1", "-r", "-t", topic, "-m", "kept"]);
        }

        using var byPassword = MosquittoClients.StartSubscriber(ports.Plain, [.. alice, "-i", "alice-reader", "-t", "#", "-q", "1", "-F", "%t %p %r", "-W", "4"]);
        using var byCertificate = MosquittoClients.StartSubscriber(ports.Certificate, [.. aliceCertificate, "-i", "cert-reader", "-t", "#", "-q", "1", "-F", "%t %p %r", "-W", "4"]);
        await Task.Delay(1500);
        foreach (var topic in new[] { "sensors/temp", "sensors/secret/live", "chat/room", "public/news", "inbox/alice/2" })
        {
            await MosquittoClients.PublishAsync(ports.Plain, [.. bob, "-q", "1", "-t", topic, "-m", "live"]);
        }

        await byPassword.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await byCertificate.WaitForExitAsync(TimeSpan.FromSeconds(20));
        results.AddRange(Sorted("alice reads", byPassword.StandardOutput));
        results.AddRange(Sorted("alice by certificate reads", byCertificate.StandardOutput));
        return results;
    }

    private static IEnumerable<string> Sorted(string step, string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).Select(line => $"{step}: {line}");

    private sealed record Ports(int Plain, int Tls, int Certificate, int Single)
    {
        public int[] All => [Plain, Tls, Certificate, Single];

        public static Ports Next()
        {
            var ports = new HashSet<int>();
            while (ports.Count < 4)
            {
                ports.Add(FreePort.Next());
            }

            var list = ports.ToList();
            return new Ports(list[0], list[1], list[2], list[3]);
        }

        public override string ToString() => string.Join(",", All.Select(p => p.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task HeldOpenAsync(int port, TimeSpan held, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            if (!EstablishedTo(port))
                since = DateTime.UtcNow;
            else if (DateTime.UtcNow - since >= held)
                return;
            await Task.Delay(100);
        }

        Assert.Fail($"no connection to port {port} stayed open for {held.TotalSeconds} s within {timeout.TotalSeconds} s");
    }

    /// <summary>An established IPv4 TCP connection to 127.0.0.1:<paramref name="port"/> (/proc/net/tcp, state 01).</summary>
    private static bool EstablishedTo(int port)
    {
        var hexPort = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields.Length > 3 && fields[2].EndsWith(hexPort, StringComparison.Ordinal) && fields[3] == "01");
    }
}

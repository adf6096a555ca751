using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EmbeddedBroker.Configuration.Mosquitto;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>
/// Spot checks against Debian's mosquitto 2.0.11: files it accepts are accepted here (and anonymous clients get the
/// same answer on each listener), files it refuses are refused here at the same line. Every broker listens on
/// 127.0.0.1 on free ports and is killed at the end of its test.
/// </summary>
[NonParallelizable]
public partial class DebianMosquittoComparisonTests : MosquittoConfFixture
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Seed_file_is_accepted_by_both_and_both_let_anonymous_clients_in()
    {
        var (mqtt, ws) = (FreePort.Next(), FreePort.Next());
        await CompareAsync([mqtt, ws],
            $"listener {mqtt} 127.0.0.1 ",
            "allow_anonymous true",
            "log_type all",
            "",
            $"listener {ws} 127.0.0.1",
            "protocol websockets",
            "allow_anonymous true");
    }

    [Test]
    public async Task Listeners_without_allow_anonymous_refuse_anonymous_clients_in_both()
    {
        var (a, b) = (FreePort.Next(), FreePort.Next());
        await CompareAsync([a, b], $"listener {a} 127.0.0.1", $"listener {b} 127.0.0.1", "password_file passwd");
    }

    [Test]
    public async Task Per_listener_settings_give_the_same_answer_on_each_listener_in_both()
    {
        var (a, b, c) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        await CompareAsync([a, b, c],
            "per_listener_settings true",
            $"listener {a} 127.0.0.1",
            "allow_anonymous true",
            $"listener {b} 127.0.0.1",
            "password_file passwd",
            $"listener {c} 127.0.0.1",
            "acl_file acl");
    }

    [Test]
    public async Task A_file_using_most_mapped_keys_is_accepted_by_both()
    {
        var (plain, tls, ws, included) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        WriteCertificate();
        Write("conf.d/10-extra.conf", $"listener {included} 127.0.0.1", "max_connections 5", "allow_anonymous true # for everyone");
        await CompareAsync([plain, tls, ws, included],
            "# spot check: everything EmbeddedBroker maps, written as Mosquitto users write it",
            "per_listener_settings false",
            $"listener {plain} 127.0.0.1 # plain MQTT",
            "socket_domain ipv4",
            "max_connections 100",
            $"listener {tls} 127.0.0.1",
            "certfile server.crt",
            "keyfile server.key",
            "require_certificate false",
            "tls_version tlsv1.2",
            "ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
            $"listener {ws} 127.0.0.1",
            "protocol websockets",
            "allow_anonymous true",
            "password_file passwd",
            "acl_file acl",
            "max_keepalive 120",
            "max_packet_size 65536",
            "max_queued_messages 200",
            "max_queued_bytes 1048576",
            "max_inflight_messages 10",
            "sys_interval 5",
            "retain_available true",
            "connection_messages false",
            "persistent_client_expiration 2d",
            "persistence false",
            "autosave_interval 60",
            "log_type error",
            "log_type warning",
            "log_dest stdout",
            "queue_qos0_messages false",
            "set_tcp_nodelay true",
            "retry_interval 20",
            "include_dir conf.d",
            "connection loop",
            $"address 127.0.0.1:{plain}",
            "topic bridged/# both 1 local/ remote/",
            "topic \"\" in 0 local/one remote/one",
            "cleansession true",
            "try_private false",
            "notifications false",
            "remote_clientid loop-bridge",
            "keepalive_interval 30",
            "restart_timeout 5 30",
            "bridge_protocol_version mqttv50");
    }

    [TestCase("allow_anonymus true")]
    [TestCase("allow_anonymous yes")]
    [TestCase("acl_file a", "acl_file b")]
    [TestCase("allow_anonymous true", "per_listener_settings true")]
    [TestCase("protocol mqttsn")]
    [TestCase("socket_domain ipv5")]
    [TestCase("log_dest file a.log", "log_dest file b.log")]
    [TestCase("log_type info")]
    [TestCase("max_keepalive 5")]
    [TestCase("  # indented comment")]
    [TestCase("listener\t1884")]
    [TestCase("listener 70000")]
    [TestCase("include_dir missing.d")]
    [TestCase("connection b", "address 127.0.0.1", "topic a out 3")]
    [TestCase("connection b", "address 127.0.0.1", "topic a sideways")]
    [TestCase("connection b", "address 127.0.0.1", "address 127.0.0.2", "topic a")]
    [TestCase("connection b", "address 127.0.0.1", "topic a", "connection b")]
    [TestCase("connection b", "address 127.0.0.1", "topic a", "bridge_protocol_version mqttv4")]
    [TestCase("connection b", "address 127.0.0.1", "topic \"\" in 0 \"\" r/")]
    [TestCase("topic a")]
    [TestCase("connection b", "address 127.0.0.1")]
    public async Task A_file_Mosquitto_refuses_is_refused_here_at_the_same_line(params string[] lines)
    {
        var path = Write("mosquitto.conf", [$"listener {FreePort.Next()} 127.0.0.1", .. lines]);
        var ours = Assert.Throws<MosquittoConfigurationException>(() => MosquittoConfigurationReader.Read(path))!;

        AllowMosquittoToRead();
        var (code, output, error) = await ExternalProcess.RunAsync(StartTimeout, ThirdPartyTools.Mosquitto, "-c", path);

        Assert.That(code, Is.Not.EqualTo(0), $"mosquitto accepted it: {output} {error}");
        var where = ErrorFoundAt().Match(output + error);
        if (where.Success)
        {
            Assert.That(ours.Line, Is.EqualTo(int.Parse(where.Groups[1].Value, CultureInfo.InvariantCulture)), $"ours: {ours.Message}; mosquitto: {error}");
        }
    }

    [Test]
    public void Debians_commented_example_configuration_is_accepted_as_local_only_mode()
    {
        const string Example = "/usr/share/doc/mosquitto/examples/mosquitto.conf";
        Assume.That(File.Exists(Example), Is.True, "Debian's mosquitto package ships the example");

        var values = MosquittoConfigurationReader.Read(Example).Values;

        Assert.That(values["Listeners:Endpoints:0:Address"], Is.EqualTo("localhost"));
        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void Debians_stock_configuration_stops_at_pid_file_and_without_it_maps_persistence_logging_and_conf_d()
    {
        const string Stock = "/etc/mosquitto/mosquitto.conf";
        Assume.That(File.Exists(Stock), Is.True, "Debian's mosquitto package installs it");
        var lines = File.ReadAllLines(Stock);
        var pidLine = Array.FindIndex(lines, line => line.StartsWith("pid_file ", StringComparison.Ordinal)) + 1;

        var error = Assert.Throws<MosquittoConfigurationException>(() => MosquittoConfigurationReader.Read(Stock))!;
        Assert.That(error.Message, Is.EqualTo($"{Stock}:{pidLine}: pid_file: not supported yet; remove it; systemd and Docker keep track of the process themselves"));

        var values = Values([.. lines.Where(line => !line.StartsWith("pid_file ", StringComparison.Ordinal))]);
        Assert.That(values["Persistence:Enabled"], Is.EqualTo("true"));
        Assert.That(values["Persistence:Path"], Is.EqualTo("/var/lib/mosquitto/broker.db"));
        Assert.That(values["Serilog:WriteTo:0:Args:path"], Is.EqualTo("/var/log/mosquitto/mosquitto.log"));
        Assert.That(values["Listeners:Endpoints:0:Address"], Is.EqualTo("localhost"), "no listener in the stock file: local-only mode");
    }

    /// <summary>Reads the file here, runs it under Debian's mosquitto, and compares the anonymous answer on each port.</summary>
    private async Task CompareAsync(int[] ports, params string[] lines)
    {
        Write("passwd", "");
        Write("acl", "topic readwrite #");
        var path = Write("mosquitto.conf", lines);
        var values = MosquittoConfigurationReader.Read(path).Values;
        AllowMosquittoToRead();

        using var mosquitto = ExternalProcess.Start(ThirdPartyTools.Mosquitto, ["-c", path], stdin: null, workingDirectory: Temp.Path);
        foreach (var port in ports)
        {
            await FreePort.WaitUntilAcceptingAsync(port, StartTimeout, mosquitto);
        }

        foreach (var port in ports.Where(p => IsPlainMqtt(values, p)))
        {
            var (code, _, error) = await MosquittoClients.PublishAsync(port, "-t", "spot/check", "-m", "x");
            Assert.That(code, Is.AnyOf(0, 5), error);
            Assert.That(AllowsAnonymous(values, port), Is.EqualTo(code == 0), $"anonymous on port {port}: mosquitto answered {code}. {mosquitto.Describe()}");
        }
    }

    private static bool IsPlainMqtt(IReadOnlyDictionary<string, string?> values, int port)
    {
        var endpoint = Endpoint(values, port);
        return values[$"{endpoint}:Protocol"] == "mqtt" && !values.ContainsKey($"{endpoint}:Tls:CertFile");
    }

    /// <summary>The security library's rule: the listener's own entry if it has one, else Security:Default.</summary>
    private static bool AllowsAnonymous(IReadOnlyDictionary<string, string?> values, int port)
    {
        var name = values[$"{Endpoint(values, port)}:Name"];
        return (values.GetValueOrDefault($"Security:Listeners:{name}:AllowAnonymous") ?? values["Security:Default:AllowAnonymous"]) == "true";
    }

    private static string Endpoint(IReadOnlyDictionary<string, string?> values, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; values.ContainsKey($"Listeners:Endpoints:{i}:Port"); i++)
        {
            if (values[$"Listeners:Endpoints:{i}:Port"] == portText)
            {
                return $"Listeners:Endpoints:{i}";
            }
        }

        throw new AssertionException($"no endpoint for port {port}");
    }

    private void WriteCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Temp.Combine("server.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Temp.Combine("server.key"), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Started as root, mosquitto drops to its own user before it reads the password and ACL files.</summary>
    private void AllowMosquittoToRead()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode Searchable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(Temp.Path, Searchable);
        foreach (var directory in Directory.EnumerateDirectories(Temp.Path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(directory, Searchable);
        }

        foreach (var file in Directory.EnumerateFiles(Temp.Path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, Readable);
        }
    }

    [GeneratedRegex(@"Error found at [^\n]*?:(\d+)\.")]
    private static partial Regex ErrorFoundAt();
}

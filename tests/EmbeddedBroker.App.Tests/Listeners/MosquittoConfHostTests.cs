using System.Net;
using EmbeddedBroker.Hosting;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace EmbeddedBroker.App.Tests.Listeners;

/// <summary>
/// The real host built from `-c mosquitto.conf` in this process, on free 127.0.0.1 ports, checked with MQTTnet's client
/// over TCP and WebSocket: per-listener security reaches MQTT over WebSocket, a websockets listener carries the web
/// endpoints, max_connections and the per-address limit close what is over them.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class MosquittoConfHostTests
{
    private readonly MqttClientFactory factory = new();

    [Test]
    public async Task Websockets_listener_applies_its_own_per_listener_security_and_serves_the_web_endpoints(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(2, ports =>
        [
            "per_listener_settings true",
            $"listener {ports[0]} 127.0.0.1",
            "allow_anonymous true",
            $"listener {ports[1]} 127.0.0.1",
            "protocol websockets",
            "password_file passwd",
        ]);
        var (tcp, ws) = (host.Ports[0], host.Ports[1]);

        using var anonymousTcp = await ConnectAsync(Tcp(tcp), cancellationToken);
        var refused = await ConnectResultAsync(WebSocket(ws), cancellationToken);
        using var alice = await ConnectAsync(WebSocket(ws).WithCredentials("alice", "s3cret"), cancellationToken);
        using var http = new HttpClient();
        var health = await http.GetAsync(new Uri($"http://127.0.0.1:{ws}/healthz"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(anonymousTcp.IsConnected, Is.True, "listener 1 allows anonymous clients");
            Assert.That(refused, Is.EqualTo(MqttClientConnectResultCode.NotAuthorized), "listener 2 (WebSocket) does not");
            Assert.That(alice.IsConnected, Is.True, "the password file of listener 2");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a websockets listener serves /healthz like the built-in WebSocket port");
        });
    }

    [Test]
    public async Task Max_connections_closes_connections_beyond_the_limit_of_the_listener(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(1, ports => [$"listener {ports[0]} 127.0.0.1", "max_connections 2", "allow_anonymous true"]);
        var port = host.Ports[0];

        var first = await ConnectAsync(Tcp(port), cancellationToken);
        using var second = await ConnectAsync(Tcp(port), cancellationToken);
        await Assert.ThrowsAsync(Is.InstanceOf<MqttCommunicationException>(), () => ConnectAsync(Tcp(port), cancellationToken), "a third connection is closed");
        await first.DisconnectAsync(cancellationToken: cancellationToken);
        first.Dispose();

        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var again = await ConnectAsync(Tcp(port), cancellationToken);
                return again.IsConnected;
            }
            catch (MqttCommunicationException)
            {
                return false;
            }
        }, () => "a place is free again once a client left", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.That(second.IsConnected, Is.True, "refusing connections never touches the ones in place");
    }

    [Test]
    public async Task Per_address_limit_counts_one_address_over_every_listener(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(2, ports =>
            [$"listener {ports[0]} 127.0.0.1", $"listener {ports[1]} 127.0.0.1", "protocol websockets", "allow_anonymous true"],
            "--Listeners:MaxConnectionsPerAddress", "2");

        using var tcp = await ConnectAsync(Tcp(host.Ports[0]), cancellationToken);
        using var ws = await ConnectAsync(WebSocket(host.Ports[1]), cancellationToken);

        await Assert.ThrowsAsync(Is.InstanceOf<MqttCommunicationException>(), () => ConnectAsync(Tcp(host.Ports[0]), cancellationToken));
        Assert.That(tcp.IsConnected && ws.IsConnected, Is.True);
    }

    private static MqttClientOptionsBuilder Tcp(int port) =>
        new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(5));

    private static MqttClientOptionsBuilder WebSocket(int port) =>
        new MqttClientOptionsBuilder().WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{port}/mqtt")).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(5));

    /// <summary>The CONNACK's code (MQTTnet 5 returns a refusal as the result rather than throwing).</summary>
    private async Task<MqttClientConnectResultCode> ConnectResultAsync(MqttClientOptionsBuilder options, CancellationToken cancellationToken)
    {
        using var client = factory.CreateMqttClient();
        return (await client.ConnectAsync(options.WithClientId($"c-{Guid.NewGuid():N}").Build(), cancellationToken)).ResultCode;
    }

    private async Task<IMqttClient> ConnectAsync(MqttClientOptionsBuilder options, CancellationToken cancellationToken)
    {
        var client = factory.CreateMqttClient();
        try
        {
            await client.ConnectAsync(options.WithClientId($"c-{Guid.NewGuid():N}").Build(), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The host on a mosquitto.conf of <paramref name="lines"/> (given the free ports), with a password file
    /// for alice, recording into its folder.</summary>
    private static Task<InProcessHost> StartAsync(int portCount, Func<IReadOnlyList<int>, string[]> lines, params string[] extra) =>
        InProcessHost.StartAsync(portCount, (ports, folder) =>
        {
            var conf = folder.Combine("mosquitto.conf");
            File.WriteAllLines(conf, lines(ports));
            var passwords = new EmbeddedBroker.Security.Editing.PasswordFileEditor(TextWriter.Null, TextWriter.Null, new FixedPrompt());
            passwords.Run(["-c", "-b", folder.Combine("passwd"), "alice", "s3cret"]);
            return EmbeddedBrokerHost.Build(
            [
                "-c", conf,
                "--Recorder:Output", RecorderOutput.In(folder).BasePath,
                "--Persistence:Path", RecorderOutput.In(folder).StorePath,
                "--Console:Enabled", "false",
                "--Serilog:MinimumLevel:Default", "Warning",
                .. extra,
            ]);
        });

    private sealed class FixedPrompt : EmbeddedBroker.Security.Editing.IPasswordPrompt
    {
        public string? ReadPassword(string prompt) => null;
    }
}

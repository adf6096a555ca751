using System.Globalization;
using EmbeddedBroker.Hosting;
using MQTTnet;
using MQTTnet.Formatter;

namespace EmbeddedBroker.App.Tests.Interop;

/// <summary>Our broker in process on two free loopback ports (MQTT over TCP, and MQTT over WebSocket), and MQTTnet clients for it.</summary>
internal sealed class MqttNetBroker : IAsyncDisposable
{
    private readonly InProcessHost host;
    private readonly MqttClientFactory factory = new();

    private MqttNetBroker(InProcessHost host) => this.host = host;

    public static async Task<MqttNetBroker> StartAsync() =>
        new(await InProcessHost.StartAsync(2, (ports, folder) => EmbeddedBrokerHost.Build(
        [
            .. AppExecutable.BrokerArguments(ports[0], RecorderOutput.In(folder)),
            "--Listeners:WebSocket:Enabled", "true",
            "--Listeners:WebSocket:Address", "127.0.0.1",
            "--ws-port", ports[1].ToString(CultureInfo.InvariantCulture),
            "--Serilog:MinimumLevel:Default", "Warning",
        ])));

    /// <summary>A connected MQTTnet client; <paramref name="configure"/> adds a will or other options.</summary>
    public async Task<IMqttClient> ConnectAsync(string clientId, MqttProtocolVersion version, MqttTransport transport,
        Func<MqttClientOptionsBuilder, MqttClientOptionsBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = new MqttClientOptionsBuilder().WithClientId(clientId).WithProtocolVersion(version).WithCleanSession().WithTimeout(TimeSpan.FromSeconds(10));
        builder = transport == MqttTransport.Tcp
            ? builder.WithTcpServer("127.0.0.1", host.Ports[0])
            : builder.WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{host.Ports[1]}/mqtt"));
        var client = factory.CreateMqttClient();
        await client.ConnectAsync((configure?.Invoke(builder) ?? builder).Build(), cancellationToken);
        return client;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

/// <summary>How an MQTTnet client reaches the broker.</summary>
public enum MqttTransport
{
    Tcp,
    WebSocket,
}

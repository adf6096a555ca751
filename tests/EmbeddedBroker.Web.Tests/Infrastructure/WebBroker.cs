using System.Globalization;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Client;
using EmbeddedBroker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>
/// The real application host started in the test process with MQTT over TCP and the WebSocket/HTTP listener both on
/// free 127.0.0.1 ports, recording into a temporary folder deleted afterwards.
/// </summary>
internal sealed class WebBroker : IAsyncDisposable
{
    private readonly InProcessHost host;

    private WebBroker(InProcessHost host)
    {
        this.host = host;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{WebSocketPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public int TcpPort => host.Ports[0];

    public int WebSocketPort => host.Ports[1];

    public string ExportsDirectory => host.Folder.Path;

    /// <summary>An HTTP client for the WebSocket listener, where the API and pages are by default.</summary>
    public HttpClient Http { get; }

    public Uri WebSocketUri(string path = "/mqtt") => new($"ws://127.0.0.1:{WebSocketPort}{path}");

    public MqttBroker Broker => host.Services.GetRequiredService<MqttBroker>();

    public IServiceProvider Services => host.Services;

    public static async Task<WebBroker> StartAsync(params string[] extraArguments) =>
        new(await InProcessHost.StartAsync(2, (ports, folder) => EmbeddedBrokerHost.Build(
        [
            "--port", ports[0].ToString(CultureInfo.InvariantCulture),
            "--Listeners:Mqtt:Address", "127.0.0.1",
            "--ws-port", ports[1].ToString(CultureInfo.InvariantCulture),
            "--Listeners:WebSocket:Address", "127.0.0.1",
            "--Recorder:Output", RecorderOutput.In(folder).BasePath,
            "--Persistence:Path", RecorderOutput.In(folder).StorePath,
            "--Console:Enabled", "false",
            "--Serilog:MinimumLevel:Default", "Warning",
            .. extraArguments,
        ])));

    /// <summary>Our own client over TCP, to check WebSocket traffic against the other transport.</summary>
    public Task<MqttClient> ConnectTcpClientAsync(string clientId) =>
        MqttClient.ConnectAsync(new MqttClientOptions { Host = "127.0.0.1", Port = TcpPort, ClientId = clientId });

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return await Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>Waits until <paramref name="clientId"/> is no longer connected.</summary>
    public Task WaitForDisconnectAsync(string clientId) =>
        Eventually.HoldsAsync(() => Broker.GetConnectedClients().All(c => c.ClientId != clientId), $"{clientId} is gone");

    /// <summary>Waits until the recorder has written <paramref name="text"/> into any export file (CSV or JSON).</summary>
    public Task WaitForExportsAsync(string text) =>
        Eventually.HoldsAsync(
            () => Directory.EnumerateFiles(ExportsDirectory, "*", SearchOption.AllDirectories)
                .Any(file => RecordedFiles.ReadText(file).Contains(text, StringComparison.Ordinal)),
            $"the recorder wrote {text}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await host.DisposeAsync();
    }
}

using System.Globalization;
using System.Net.Http.Json;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Client;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>
/// The real application host started in the test process with MQTT over TCP and the WebSocket/HTTP listener both on
/// free 127.0.0.1 ports, recording into a temporary folder deleted afterwards.
/// </summary>
internal sealed class WebBroker : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebBroker(WebApplication app, int tcpPort, int webSocketPort, string exportsDirectory)
    {
        this.app = app;
        TcpPort = tcpPort;
        WebSocketPort = webSocketPort;
        ExportsDirectory = exportsDirectory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webSocketPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public int TcpPort { get; }

    public int WebSocketPort { get; }

    public string ExportsDirectory { get; }

    /// <summary>An HTTP client for the WebSocket listener, where the API and pages are by default.</summary>
    public HttpClient Http { get; }

    public Uri WebSocketUri(string path = "/mqtt") => new($"ws://127.0.0.1:{WebSocketPort}{path}");

    public MqttBroker Broker => app.Services.GetRequiredService<MqttBroker>();

    public IServiceProvider Services => app.Services;

    public static async Task<WebBroker> StartAsync(params string[] extraArguments)
    {
        // A free port found by probing can be taken by another test process before we bind it: try again with new ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStartAsync(extraArguments);
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                TestContext.Out.WriteLine($"port taken meanwhile ({ex.Message}); retrying with other ports");
            }
        }
    }

    private static async Task<WebBroker> TryStartAsync(string[] extraArguments)
    {
        var tcpPort = FreePort.Next();
        var webSocketPort = FreePort.Next();
        var exports = Directory.CreateTempSubdirectory("eb-web-exports-").FullName;
        string[] arguments =
        [
            "--port", tcpPort.ToString(CultureInfo.InvariantCulture),
            "--Listeners:Mqtt:Address", "127.0.0.1",
            "--ws-port", webSocketPort.ToString(CultureInfo.InvariantCulture),
            "--Listeners:WebSocket:Address", "127.0.0.1",
            "--Recorder:Output", Path.Combine(exports, "mqtt_data"),
            "--Console:Enabled", "false",
            "--Serilog:MinimumLevel:Default", "Warning",
            .. extraArguments,
        ];
        var app = EmbeddedBrokerHost.Build(arguments);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(exports, recursive: true);
            throw;
        }

        return new WebBroker(app, tcpPort, webSocketPort, exports);
    }

    /// <summary>Our own client over TCP, to check WebSocket traffic against the other transport.</summary>
    public Task<MqttClient> ConnectTcpClientAsync(string clientId) =>
        MqttClient.ConnectAsync(new MqttClientOptions { Host = "127.0.0.1", Port = TcpPort, ClientId = clientId });

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return await Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public async Task<T> GetJsonAsync<T>(string path)
    {
        var result = await Http.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative));
        return result ?? throw new AssertionException($"GET {path} returned null");
    }

    /// <summary>Waits until <paramref name="condition"/> holds (or fails the test after the timeout).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    public Task WaitForSubscriptionAsync(string clientId, string filter) =>
        WaitUntilAsync(() => Broker.GetConnectedClients().Any(c => c.ClientId == clientId && c.Subscriptions.Any(s => s.TopicFilter == filter)), $"{clientId} subscribes to {filter}");

    /// <summary>Every line of every export file (CSV and JSON) the recorder wrote so far.</summary>
    public string ReadExports()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(ExportsDirectory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.AppendLine(reader.ReadToEnd());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await app.StopAsync(cts.Token);
        }

        await app.DisposeAsync();
        try
        {
            Directory.Delete(ExportsDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}

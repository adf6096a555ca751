using EmbeddedBroker.Broker;
using EmbeddedBroker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Integration.Tests.Infrastructure;

/// <summary>
/// The real application host (same composition as Program.cs) started in the test process, bound to 127.0.0.1
/// on a free port, recording into a temporary folder that is deleted afterwards.
/// </summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private readonly WebApplication app;

    private InProcessBroker(WebApplication app, int port, string exportsDirectory)
    {
        this.app = app;
        Port = port;
        ExportsDirectory = exportsDirectory;
    }

    public int Port { get; }

    public string ExportsDirectory { get; }

    public string Host => "127.0.0.1";

    public MqttBroker Broker => app.Services.GetRequiredService<MqttBroker>();

    public IServiceProvider Services => app.Services;

    public static async Task<InProcessBroker> StartAsync(params string[] extraArguments)
    {
        var port = FreePort.Next();
        var exports = Directory.CreateTempSubdirectory("eb-exports-").FullName;
        string[] arguments =
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Listeners:Mqtt:Address", "127.0.0.1",
            "--Listeners:WebSocket:Enabled", "false",
            "--Recorder:Output", Path.Combine(exports, "mqtt_data"),
            "--Serilog:MinimumLevel:Default", "Warning",
            .. extraArguments,
        ];
        var app = EmbeddedBrokerHost.Build(arguments);
        await app.StartAsync();
        return new InProcessBroker(app, port, exports);
    }

    /// <summary>Waits until the broker shows <paramref name="clientId"/> connected with a subscription to <paramref name="filter"/>.</summary>
    public async Task WaitForSubscriptionAsync(string clientId, string filter, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!Broker.GetConnectedClients().Any(c => c.ClientId == clientId && c.Subscriptions.Any(s => s.TopicFilter == filter)))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"client '{clientId}' did not subscribe to '{filter}' in time");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="clientId"/> is no longer connected.</summary>
    public async Task WaitForDisconnectAsync(string clientId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Broker.GetConnectedClients().Any(c => c.ClientId == clientId))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"client '{clientId}' still connected");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
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

using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Security;
using EmbeddedBroker.Web.Listeners;
using EmbeddedBroker.Web.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Warnings worth one line each at start-up: what the mosquitto.conf reader adjusted or found deprecated, and — once,
/// for all listeners together — that anonymous clients are let in on a listener other machines can reach.
/// </summary>
internal sealed class StartupWarnings(
    SettingOrigins origins,
    SecurityOptions security,
    IOptions<ListenerOptions> listeners,
    IOptions<WebSocketListenerOptions> webSocket,
    IOptions<WebOptions> web,
    ILogger<StartupWarnings> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in origins.Mosquitto?.Warnings ?? [])
        {
            logger.LogWarning("{Warning}", warning);
        }

        var exposed = AnonymousListeners().Where(l => !ListenAddresses.IsLoopbackOnly(l.Address, l.Interface)).Select(l => $"{l.Name} ({l.Address}:{l.Port})").ToList();
        if (exposed.Count > 0)
        {
            logger.LogWarning(
                "Anonymous clients are allowed on {Listeners}, which other machines can reach: anyone there may publish and subscribe, and on a WebSocket/HTTP listener read the recorded messages through the API and the dashboard. To require a password see docs/security.md (password_file + allow_anonymous false), or keep the broker to this machine with --bind 127.0.0.1",
                string.Join(", ", exposed));
        }

        var anyOrigin = AnonymousListeners().Where(l => l.Name == WebListenerSetup.WebSocketListenerName || IsWebSocketsEndpoint(l.Name)).Select(l => l.Name).ToList();
        if (anyOrigin.Count > 0 && web.Value.MqttWebSocket.Enabled && web.Value.WebSocketAllowedOrigins.Count == 0)
        {
            logger.LogWarning(
                "MQTT over WebSocket on {Listeners} accepts pages of any origin while anonymous access is on: a web page opened on a machine that reaches it may publish and subscribe. List the pages' origins in Web:WebSocketAllowedOrigins, or require a password (docs/security.md)",
                string.Join(", ", anyOrigin));
        }

        return Task.CompletedTask;
    }

    private bool IsWebSocketsEndpoint(string name) => listeners.Value.Endpoints.Any(e => e.IsWebSockets && e.EffectiveName == name);

    private IEnumerable<(string Name, string Address, int Port, string? Interface)> AnonymousListeners()
    {
        var all = new List<(string, string, int, string?)>();
        var options = listeners.Value;
        if (options.Mqtt.Enabled)
        {
            all.Add((MqttTcpListenerOptions.ListenerName, options.Mqtt.Address, options.Mqtt.Port, null));
        }

        if (webSocket.Value.Enabled)
        {
            all.Add((WebListenerSetup.WebSocketListenerName, webSocket.Value.Address, webSocket.Value.Port, null));
        }

        all.AddRange(options.Endpoints.Select(e => (e.EffectiveName, e.Address, e.Port, e.BindInterface)));
        return all.Where(l => security.For(l.Item1) is { AllowAnonymous: true, UseIdentityAsUsername: false, UseSubjectAsUsername: false });
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Net;
using EmbeddedBroker.Client;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.Web.Options;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Cli;

/// <summary>
/// `healthcheck`, for Docker's HEALTHCHECK (the aspnet image has no curl): one MQTT CONNECT to this machine's broker
/// port (an open TCP port alone does not prove the broker answers), then GET /healthz where it is served, so a
/// recorder that cannot write makes the container unhealthy too. Exit 0 = both fine, 1 = anything else.
/// </summary>
public static class HealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(ParsedCommandLine commandLine)
    {
        var configuration = new ConfigurationManager();
        ConfigurationSetup.Apply(configuration, commandLine);
        var listener = configuration.GetSection(ListenerOptions.SectionName).Get<ListenerOptions>()?.Mqtt ?? new MqttTcpListenerOptions();
        var host = ProbeAddress(listener.Address);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await using var client = await MqttClient.ConnectAsync(
                new MqttClientOptions { Host = host, Port = listener.Port, ClientId = $"healthcheck-{Environment.ProcessId}", ConnectTimeout = Timeout },
                timeout.Token);
            await client.DisconnectAsync(cancellationToken: timeout.Token);
        }
        catch (Exception ex)
        {
            await Console.Out.WriteLineAsync($"unhealthy: MQTT broker on {host}:{listener.Port}: {ex.Message}");
            return 1;
        }

        if (HealthUrl(configuration) is not { } url)
        {
            await Console.Out.WriteLineAsync($"healthy: MQTT broker on {host}:{listener.Port} accepted a connection (/healthz is not served)");
            return 0;
        }

        try
        {
            using var http = new HttpClient { Timeout = Timeout };
            using var response = await http.GetAsync(url, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var healthy = response.IsSuccessStatusCode;
            await Console.Out.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: MQTT broker on {host}:{listener.Port} accepted a connection; {url} answered {(int)response.StatusCode} {body}");
            return healthy ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            await Console.Out.WriteLineAsync($"unhealthy: {url}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Where /healthz is served: the WebSocket listener (the default) or the plain HTTP one; null when it is off.</summary>
    private static Uri? HealthUrl(IConfiguration configuration)
    {
        var health = configuration.GetSection(WebOptions.SectionName).Get<WebOptions>()?.Health ?? new WebEndpointOptions();
        var webSocket = configuration.GetSection(WebSocketListenerOptions.SectionName).Get<WebSocketListenerOptions>() ?? new WebSocketListenerOptions();
        var http = configuration.GetSection(HttpListenerOptions.SectionName).Get<HttpListenerOptions>() ?? new HttpListenerOptions();
        if (!health.Enabled)
        {
            return null;
        }

        if (health.On != WebListener.Http && webSocket.Enabled && webSocket.Port > 0)
        {
            return new Uri($"http://{UrlHost(webSocket.Address)}:{webSocket.Port}/healthz");
        }

        return health.On != WebListener.WebSocket && http.Enabled && http.Port > 0 ? new Uri($"http://{UrlHost(http.Address)}:{http.Port}/healthz") : null;
    }

    /// <summary>A wildcard bind is probed on loopback; a specific address or host name on itself.</summary>
    private static string ProbeAddress(string? bound) =>
        string.IsNullOrWhiteSpace(bound) || (IPAddress.TryParse(bound, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
            ? "127.0.0.1"
            : bound;

    private static string UrlHost(string? bound) => ProbeAddress(bound) is var host && host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}

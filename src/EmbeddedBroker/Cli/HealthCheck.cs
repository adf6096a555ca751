using System.Net;
using EmbeddedBroker.Client;
using EmbeddedBroker.Hosting;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Cli;

/// <summary>
/// `healthcheck`: one MQTT CONNECT to this machine's broker port, for Docker's HEALTHCHECK (the aspnet image has no
/// curl, and an open TCP port alone does not prove the broker answers). Exit 0 = CONNACK accepted, 1 = anything else.
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
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await using var client = await MqttClient.ConnectAsync(
                new MqttClientOptions { Host = host, Port = listener.Port, ClientId = $"healthcheck-{Environment.ProcessId}", ConnectTimeout = Timeout },
                timeout.Token);
            await client.DisconnectAsync(cancellationToken: timeout.Token);
            await Console.Out.WriteLineAsync($"healthy: MQTT broker on {host}:{listener.Port} accepted a connection");
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Out.WriteLineAsync($"unhealthy: MQTT broker on {host}:{listener.Port}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>A wildcard bind is probed on loopback; a specific address is probed on that address.</summary>
    private static string ProbeAddress(string? bound) =>
        IPAddress.TryParse(bound, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)
            ? address.ToString()
            : "127.0.0.1";
}

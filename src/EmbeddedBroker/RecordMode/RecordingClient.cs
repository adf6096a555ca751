using System.Text;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.RecordMode;

/// <summary>
/// `record`: connects to another broker as a client, subscribes, and hands every message it receives to the same
/// observers the broker would (the recorder and the console), so the files are identical to the broker's.
/// When the connection fails or ends it reconnects with exponential back-off and subscribes again.
/// </summary>
internal sealed class RecordingClient(
    IOptions<RecordOptions> options,
    IEnumerable<IPublishObserver> observers,
    RecordConnectionStatus status,
    ILogger<RecordingClient> logger) : BackgroundService
{
    private readonly IPublishObserver[] observers = [.. observers];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var clientOptions = BuildClientOptions(settings);
        var endpoint = $"{settings.Host}:{settings.Port}";
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(settings.MaxReconnectDelaySeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                status.Set($"connecting to {endpoint}");
                await using var client = await MqttClient.ConnectAsync(clientOptions, stoppingToken);
                if (!await SubscribeAsync(client, settings, endpoint, stoppingToken))
                {
                    reason = "the broker refused every subscription";
                }
                else
                {
                    backoff.Reset();
                    status.Set($"connected to {endpoint}");
                    reason = await PumpAsync(client, stoppingToken);
                }

                if (stoppingToken.IsCancellationRequested)
                {
                    await client.DisconnectAsync(cancellationToken: CancellationToken.None);
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke this connection (network, refusal, protocol), the remedy is the same: wait, reconnect.
                reason = ex is System.Net.Sockets.SocketException or IOException or TimeoutException or MqttConnectException
                    ? ex.Message
                    : $"{ex.GetType().Name}: {ex.Message}";
            }

            var delay = backoff.NextDelay();
            status.Set($"disconnected from {endpoint}, retrying in {delay.TotalSeconds:0} s");
            logger.LogWarning("Not recording from {Endpoint}: {Reason}. Reconnecting in {Delay:0.0} s", endpoint, reason, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> SubscribeAsync(MqttClient client, RecordOptions settings, string endpoint, CancellationToken stoppingToken)
    {
        var filters = settings.SubscriptionFilters;
        var codes = await client.SubscribeAsync(
            [.. filters.Select(f => new MqttTopicSubscription(f, (MqttQualityOfService)settings.Qos))], stoppingToken);
        var granted = new List<string>();
        for (var i = 0; i < filters.Count; i++)
        {
            if ((byte)codes[i] >= 0x80)
            {
                logger.LogError("{Endpoint} refused the subscription to {Filter}: {Code} (0x{Value:X2})", endpoint, filters[i], codes[i], (byte)codes[i]);
            }
            else
            {
                granted.Add(filters[i]);
            }
        }

        if (granted.Count > 0)
        {
            logger.LogInformation("Recording {Filters} from {Endpoint} as {ClientId} (MQTT {Version})",
                string.Join(", ", granted), endpoint, client.ClientId, client.ProtocolVersion == MqttProtocolVersion.V500 ? "5" : "3.1.1");
        }

        return granted.Count > 0;
    }

    /// <summary>Feeds the observers until the connection ends; returns why it ended.</summary>
    private async Task<string> PumpAsync(MqttClient client, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var received in client.Messages.ReadAllAsync(stoppingToken))
            {
                var message = new MqttApplicationMessage
                {
                    Topic = received.Topic,
                    Payload = received.Payload,
                    Qos = received.Qos,
                    Retain = received.Retain,
                    Properties = received.Properties,
                    Source = MessageSource.Client,
                };
                foreach (var observer in observers)
                {
                    _ = observer.OnMessageAccepted(message); // the remote broker's acknowledgement is the client's, not held here
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return "stopping";
        }

        var lost = await client.Closed;
        return lost?.Exception?.Message
            ?? (lost?.ServerDisconnect is { } disconnect ? $"the broker sent DISCONNECT {disconnect.ReasonCode}" : "the broker closed the connection");
    }

    private static MqttClientOptions BuildClientOptions(RecordOptions settings)
    {
        _ = RecordOptionsValidator.TryParseVersion(settings.ProtocolVersion, out var version); // validated at start-up
        return new MqttClientOptions
        {
            Host = settings.Host,
            Port = settings.Port,
            ClientId = string.IsNullOrEmpty(settings.ClientId) ? $"embeddedbroker-record-{Guid.NewGuid().ToString("N")[..8]}" : settings.ClientId,
            CleanSession = settings.CleanSession,
            KeepAliveSeconds = (ushort)settings.KeepAliveSeconds,
            Username = string.IsNullOrEmpty(settings.Username) ? null : settings.Username,
            Password = string.IsNullOrEmpty(settings.Password) ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(settings.Password),
            ProtocolVersion = version ?? (string.IsNullOrEmpty(settings.ShareGroup) ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
    }
}

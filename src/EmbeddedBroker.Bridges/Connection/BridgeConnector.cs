using System.Text;
using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Topics;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bridges.Connection;

/// <summary>
/// Opens one connection of a bridge: TCP (and TLS), CONNECT as the bridge's remote client (its notification "0" as
/// will, the bridge flag when try_private is on), then the subscriptions of the "in" topics and the notification "1".
/// </summary>
internal sealed class BridgeConnector(BridgeOptions options, BridgeTopicMap topics)
{
    /// <summary>How long TCP, TLS and CONNACK together may take before an attempt counts as failed.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static readonly ReadOnlyMemory<byte> Up = "1"u8.ToArray();
    public static readonly ReadOnlyMemory<byte> Down = "0"u8.ToArray();

    private readonly MqttProtocolVersion _version = options.ProtocolVersion == "5" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;

    public MqttProtocolVersion Version => _version;

    /// <summary>Connects to <paramref name="address"/>; the transport is owned by the caller (dispose it after the client).</summary>
    /// <exception cref="TimeoutException">No CONNACK within <see cref="ConnectTimeout"/>.</exception>
    public async Task<(MqttClient Client, BridgeTransport Transport)> ConnectAsync(BridgeAddress address, bool bridgeFlag, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(ConnectTimeout);
        BridgeTransport? transport = null;
        try
        {
            transport = await BridgeTransport.ConnectAsync(address, options.Tls, timeout.Token).ConfigureAwait(false);
            var client = await MqttClient.ConnectAsync(transport, ClientOptions(bridgeFlag), timeout.Token).ConfigureAwait(false);
            return (client, transport);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            await DisposeAsync(transport).ConfigureAwait(false);
            throw new TimeoutException($"no connection within {ConnectTimeout.TotalSeconds:0} s");
        }
        catch
        {
            await DisposeAsync(transport).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Subscribes to the "in" topics; returns the filters the remote refused (none when all were granted).</summary>
    public async Task<IReadOnlyList<string>> SubscribeAsync(MqttClient client, CancellationToken cancellationToken)
    {
        var wanted = topics.RemoteSubscriptions;
        if (wanted.Count == 0)
        {
            return [];
        }

        // MQTT 5: No Local keeps the remote from sending the bridge's own messages back (loops), and Retain As
        // Published keeps their retain flag, which is what try_private asks a Mosquitto of 3.1.1.
        var subscriptions = wanted.Select(s => new MqttTopicSubscription(s.Filter, s.Qos,
            NoLocal: _version == MqttProtocolVersion.V500, RetainAsPublished: _version == MqttProtocolVersion.V500)).ToArray();
        var granted = await client.SubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        return [.. wanted.Where((_, i) => i >= granted.Count || (byte)granted[i] >= 0x80).Select(s => s.Filter)];
    }

    /// <summary>The notification "1" on the remote broker, retained, replacing the will's "0".</summary>
    public Task NotifyUpAsync(MqttClient client) => options.Notifications
        ? client.PublishAsync(options.EffectiveNotificationTopic, Up, MqttQualityOfService.AtLeastOnce, retain: true)
        : Task.CompletedTask;

    /// <summary>The notification "0" on the remote broker before a deliberate disconnection (no will follows one).</summary>
    public Task NotifyDownAsync(MqttClient client) => options.Notifications
        ? client.PublishAsync(options.EffectiveNotificationTopic, Down, MqttQualityOfService.AtLeastOnce, retain: true)
        : Task.CompletedTask;

    private MqttClientOptions ClientOptions(bool bridgeFlag) => new()
    {
        ClientId = options.EffectiveRemoteClientId,
        CleanSession = options.CleanSession,
        KeepAliveSeconds = (ushort)options.KeepAlive,
        Username = options.RemoteUsername,
        Password = options.RemotePassword is { } password ? Encoding.UTF8.GetBytes(password) : (ReadOnlyMemory<byte>?)null,
        ProtocolVersion = _version,
        BridgeProtocolFlag = bridgeFlag,
        ManualAcknowledgement = true,
        MaximumPublishesInFlight = options.MaxInflight,
        // Received and not yet kept locally, at most (with BridgeLink's backlog): what a local outage can make the
        // remote send again; beyond it TCP pushes back on the remote.
        IncomingQueueCapacity = BridgeLink.AcknowledgementBacklog,
        // MQTT 5's session survives the connection only with an expiry: a bridge without clean session keeps its.
        SessionExpiryInterval = _version == MqttProtocolVersion.V500 && !options.CleanSession ? uint.MaxValue : null,
        ConnectTimeout = ConnectTimeout,
        Will = options.Notifications
            ? new MqttWill { Topic = options.EffectiveNotificationTopic, Payload = Down, Qos = MqttQualityOfService.AtLeastOnce, Retain = true }
            : null,
    };

    private static async Task DisposeAsync(BridgeTransport? transport)
    {
        if (transport is not null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}

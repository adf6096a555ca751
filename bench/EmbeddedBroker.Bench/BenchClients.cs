using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bench;

/// <summary>Connection helpers shared by the scenarios.</summary>
internal static class BenchClients
{
    /// <summary>A prefix unique to this run, so leftovers of an earlier run (retained, sessions) cannot be counted.</summary>
    public static string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public static string ClientId(string role) => $"bench-{RunId}-{role}";

    public static Task<MqttClient> ConnectAsync(BenchOptions options, string role, CancellationToken cancellationToken, ushort keepAliveSeconds = 60) =>
        MqttClient.ConnectAsync(new MqttClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            ClientId = ClientId(role),
            ProtocolVersion = options.Protocol,
            KeepAliveSeconds = keepAliveSeconds,
            Username = options.Username,
            Password = Password(options),
            // Generous: the subscriber must never be the bottleneck, so it buffers rather than pushes back.
            IncomingQueueCapacity = 1 << 20,
        }, cancellationToken);

    /// <summary>The CONNECT the bare-socket connections send: the same identity and credentials as the client's.</summary>
    public static ConnectPacket ConnectPacket(BenchOptions options, string role, ushort keepAliveSeconds = 60) => new()
    {
        ProtocolName = options.Protocol == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT",
        ProtocolLevel = (byte)options.Protocol,
        ClientId = ClientId(role),
        CleanSession = true,
        KeepAliveSeconds = keepAliveSeconds,
        Username = options.Username,
        Password = Password(options),
    };

    private static ReadOnlyMemory<byte>? Password(BenchOptions options)
    {
        // Not a conditional expression: null would convert to an empty (present) password through byte[].
        if (options.Password is null)
        {
            return null;
        }

        return Encoding.UTF8.GetBytes(options.Password);
    }

    /// <summary>
    /// Subscribes one filter at the run's QoS, optionally with an MQTT 5 Subscription Identifier, and fails when the
    /// broker refuses: as not applicable when it announced the feature unavailable (CONNACK) or refused it by reason
    /// code (SUBACK 0x9E, 0xA1), as an error otherwise.
    /// </summary>
    public static async Task SubscribeAsync(MqttClient client, string filter, BenchOptions options, uint? subscriptionId = null)
    {
        var offered = client.ConnectResult.ConnAck.Properties;
        if (MqttTopic.IsSharedSubscription(filter) && offered.SharedSubscriptionAvailable == 0)
        {
            throw new UnsupportedFeatureException("shared subscriptions (CONNACK Shared Subscription Available = 0)");
        }

        MqttProperties? properties = null;
        if (subscriptionId is { } id)
        {
            if (offered.SubscriptionIdentifiersAvailable == 0)
            {
                throw new UnsupportedFeatureException("subscription identifiers (CONNACK Subscription Identifiers Available = 0)");
            }

            properties = new MqttProperties { SubscriptionIdentifiers = [id] };
        }

        var granted = (await client.SubscribeAsync([new MqttTopicSubscription(filter, options.Qos)], CancellationToken.None, properties))[0];
        if (granted is MqttReasonCode.SharedSubscriptionsNotSupported or MqttReasonCode.SubscriptionIdentifiersNotSupported)
        {
            throw new UnsupportedFeatureException($"SUBACK {granted} for {filter}");
        }

        if ((byte)granted >= 0x80)
        {
            throw new InvalidOperationException($"Subscription to {filter} refused: {granted}.");
        }
    }

    public static async Task DisposeAllAsync(IEnumerable<MqttClient> clients)
    {
        await Task.WhenAll(clients.Select(async c =>
        {
            try
            {
                await c.DisposeAsync();
            }
            catch (IOException)
            {
                // The broker may already have dropped an overloaded connection.
            }
        }));
    }
}

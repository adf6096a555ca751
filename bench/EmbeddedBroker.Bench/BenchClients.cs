using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench;

/// <summary>Connection helpers shared by the scenarios.</summary>
internal static class BenchClients
{
    /// <summary>A prefix unique to this run, so leftovers of an earlier run (retained, sessions) cannot be counted.</summary>
    public static string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public static Task<MqttClient> ConnectAsync(BenchOptions options, string role, CancellationToken cancellationToken, ushort keepAliveSeconds = 60) =>
        MqttClient.ConnectAsync(new MqttClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            ClientId = $"bench-{RunId}-{role}",
            ProtocolVersion = options.Protocol,
            KeepAliveSeconds = keepAliveSeconds,
            // Generous: the subscriber must never be the bottleneck, so it buffers rather than pushes back.
            IncomingQueueCapacity = 1 << 20,
        }, cancellationToken);

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

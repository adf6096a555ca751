using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// The subscribers of a scenario, each subscribed to one filter and counting what it receives. With
/// --subscription-id subscriber i subscribes with identifier i + 1 and counts deliveries that do not carry it.
/// </summary>
internal sealed class SubscriberGroup : IAsyncDisposable
{
    private readonly List<MqttClient> _clients = [];
    private readonly Counter _missingSubscriptionId = new();

    public Counter[] Received { get; private set; } = [];

    public int Count => _clients.Count;

    public int Disconnected => _clients.Count(c => !c.IsConnected);

    /// <summary>Deliveries without the subscriber's own Subscription Identifier (MQTT-3.3.4-3); 0 unless --subscription-id.</summary>
    public long MissingSubscriptionId => _missingSubscriptionId.Value;

    public static async Task<SubscriberGroup> ConnectAsync(BenchOptions options, int count, Func<int, string> filterOf, CancellationToken cancellationToken)
    {
        var group = new SubscriberGroup { Received = [.. Enumerable.Range(0, count).Select(_ => new Counter())] };
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = await BenchClients.ConnectAsync(options, $"s{i}", cancellationToken);
                group._clients.Add(client);
                await BenchClients.SubscribeAsync(client, filterOf(i), options, options.SubscriptionId ? (uint)(i + 1) : null);
            }

            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts counting; <paramref name="inspect"/> (optional) sees every message first.</summary>
    public Task CountAsync(BenchOptions options, Action<MqttReceivedMessage>? inspect = null) =>
        Task.WhenAll(_clients.Select((client, i) =>
        {
            var check = inspect;
            if (options.SubscriptionId)
            {
                var id = (uint)(i + 1);
                check = message =>
                {
                    if (message.Properties.SubscriptionIdentifiers?.Contains(id) != true)
                    {
                        _missingSubscriptionId.Increment();
                    }

                    inspect?.Invoke(message);
                };
            }

            return Deliveries.CountAsync(client, Received[i], check);
        }));

    public ValueTask DisposeAsync() => new(BenchClients.DisposeAllAsync(_clients));
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>
/// A subscriber with a persistent session (clean session off, QoS 1) that reconnects whenever its broker goes away
/// and counts every message by its number: <see cref="Unique"/> and <see cref="Duplicates"/>.
/// </summary>
internal sealed class ResilientCollector(int port, string clientId, string filter)
{
    private readonly ConcurrentDictionary<int, int> _seen = new();
    private long _connections;

    public int Unique => _seen.Count;

    public long Duplicates => _seen.Values.Sum(n => (long)n - 1);

    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>The numbers below <paramref name="count"/> not received, as ranges ("12-40, 77"), for failure messages.</summary>
    public string Missing(int count)
    {
        var ranges = new List<string>();
        var missing = Enumerable.Range(0, count).Where(i => !_seen.ContainsKey(i)).ToList();
        for (var i = 0; i < missing.Count;)
        {
            var j = i;
            while (j + 1 < missing.Count && missing[j + 1] == missing[j] + 1)
            {
                j++;
            }

            ranges.Add(i == j ? $"{missing[i]}" : $"{missing[i]}-{missing[j]}");
            i = j + 1;
        }

        return string.Join(", ", ranges.Take(20));
    }

    /// <summary>Connects and subscribes once (the session is then kept by the broker), then collects until cancelled.</summary>
    public async Task<Task> StartAsync(CancellationToken cancellationToken)
    {
        var first = await ConnectAsync(cancellationToken);
        return Task.Run(() => CollectAsync(first, cancellationToken), cancellationToken);
    }

    private async Task CollectAsync(MqttClient client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var message in client.Messages.ReadAllAsync(cancellationToken))
                {
                    var number = int.Parse(Encoding.ASCII.GetString(message.Payload.Span), CultureInfo.InvariantCulture);
                    _seen.AddOrUpdate(number, 1, (_, n) => n + 1);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await client.DisposeAsync();
            client = await ConnectAsync(cancellationToken);
        }

        await client.DisposeAsync();
    }

    private async Task<MqttClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = await Reconnecting.ConnectAsync(
            new MqttClientOptions { Port = port, ClientId = clientId, CleanSession = false, KeepAliveSeconds = 5 }, TimeSpan.FromSeconds(60), cancellationToken);
        Interlocked.Increment(ref _connections);
        // Again on every connection: a broker restarted from an older save may have lost the session.
        await client.SubscribeAsync((filter, MqttQualityOfService.AtLeastOnce));
        return client;
    }
}

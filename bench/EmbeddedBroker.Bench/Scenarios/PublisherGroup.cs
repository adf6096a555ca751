using EmbeddedBroker.Bench.Wire;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// The publishers of a saturation scenario: clients (the default) or bare-socket publishers (--topic-alias,
/// --wire-publishers), each publishing to its own topic with its own sent counter, until stopped.
/// </summary>
internal sealed class PublisherGroup : IAsyncDisposable
{
    private readonly List<MqttClient> _clients = [];
    private readonly List<WirePublisher> _wire = [];

    public Counter[] Sent { get; private set; } = [];

    public int Disconnected => _clients.Count(c => !c.IsConnected) + _wire.Count(w => !w.IsConnected);

    public static async Task<PublisherGroup> ConnectAsync(BenchOptions options, int count, CancellationToken cancellationToken)
    {
        var group = new PublisherGroup { Sent = [.. Enumerable.Range(0, count).Select(_ => new Counter())] };
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (options.TopicAlias || options.WirePublishers)
                {
                    group._wire.Add(await WirePublisher.ConnectAsync(options, $"p{i}", cancellationToken));
                }
                else
                {
                    group._clients.Add(await BenchClients.ConnectAsync(options, $"p{i}", cancellationToken));
                }
            }

            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every publisher i publishes payloadOf(i)() to topicOf(i) at options.Rate (0 = flat out) until stopped.</summary>
    public Task RunAsync(Func<int, string> topicOf, Func<int, Func<ReadOnlyMemory<byte>>> payloadOf, BenchOptions options, CancellationToken stop)
    {
        var clients = _clients.Select((c, i) => PacedPublisher.RunAsync(c, topicOf(i), payloadOf(i), options, Sent[i], stop));
        var wire = _wire.Select((w, i) => w.RunAsync(topicOf(i), payloadOf(i), options.Qos, options.Rate, Sent[i], stop));
        return Task.WhenAll(clients.Concat(wire));
    }

    public async ValueTask DisposeAsync()
    {
        await BenchClients.DisposeAllAsync(_clients);
        foreach (var publisher in _wire)
        {
            await publisher.DisposeAsync();
        }
    }
}

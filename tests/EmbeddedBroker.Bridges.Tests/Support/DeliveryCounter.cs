using System.Collections.Concurrent;
using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>A subscriber that counts how many times each (topic, payload) arrives: a loop shows as a count above one.</summary>
internal sealed class DeliveryCounter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly MqttClient _client;
    private readonly Task _reading;

    private DeliveryCounter(MqttClient client)
    {
        _client = client;
        _reading = ReadAsync();
    }

    public int Distinct => _counts.Count;

    public int Total => _counts.Values.Sum();

    public IEnumerable<string> Repeated => _counts.Where(c => c.Value > 1).Select(c => $"{c.Key} x{c.Value}");

    public static async Task<DeliveryCounter> StartAsync(int port, string clientId, string filter)
    {
        var client = await MqttClient.ConnectAsync(new MqttClientOptions { Port = port, ClientId = clientId });
        await client.SubscribeAsync((filter, MqttQualityOfService.AtLeastOnce));
        return new DeliveryCounter(client);
    }

    private async Task ReadAsync()
    {
        await foreach (var message in _client.Messages.ReadAllAsync())
        {
            _counts.AddOrUpdate($"{message.Topic} {Encoding.UTF8.GetString(message.Payload.Span)}", 1, (_, n) => n + 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}

using System.Globalization;
using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>
/// Publishes messages 0..count-1 (payload: the number) at QoS 1 on one topic, at most <paramref name="window"/> in
/// flight, at about <paramref name="perSecond"/>. A publish the broker did not acknowledge (it went away) is sent again
/// on a new connection, as any careful client does, so a broker restart may see it twice.
/// </summary>
internal sealed class ResilientPublisher(int port, string clientId, string topic, int count, int window, int perSecond)
{
    private readonly SemaphoreSlim _reconnecting = new(1, 1);
    private MqttClient? _client;
    private long _acknowledged;
    private long _resent;

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Resent => Interlocked.Read(ref _resent);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _client = await Connect(cancellationToken);
        using var slots = new SemaphoreSlim(window, window);
        var started = DateTime.UtcNow;
        var all = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = started + TimeSpan.FromSeconds((double)i / perSecond);
            if (due > DateTime.UtcNow)
            {
                await Task.Delay(due - DateTime.UtcNow, cancellationToken);
            }

            await slots.WaitAsync(cancellationToken);
            var number = i;
            all.Add(Task.Run(async () =>
            {
                try
                {
                    await PublishAsync(number, cancellationToken);
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(all);
        await _client.DisposeAsync();
    }

    private async Task PublishAsync(int number, CancellationToken cancellationToken)
    {
        var payload = Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture));
        for (var attempt = 0; ; attempt++)
        {
            var client = _client!;
            try
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref _resent);
                }

                await client.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
                Interlocked.Increment(ref _acknowledged);
                return;
            }
            catch (Exception error) when (Reconnecting.IsTransient(error) && !cancellationToken.IsCancellationRequested)
            {
                await ReplaceAsync(client, cancellationToken);
            }
        }
    }

    private async Task ReplaceAsync(MqttClient broken, CancellationToken cancellationToken)
    {
        await _reconnecting.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(_client, broken))
            {
                return; // another publish already reconnected
            }

            await broken.DisposeAsync();
            _client = await Connect(cancellationToken);
        }
        finally
        {
            _reconnecting.Release();
        }
    }

    private Task<MqttClient> Connect(CancellationToken cancellationToken) =>
        Reconnecting.ConnectAsync(new MqttClientOptions { Port = port, ClientId = clientId, KeepAliveSeconds = 5, MaximumPublishesInFlight = window },
            TimeSpan.FromSeconds(60), cancellationToken);
}

using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Fuzzing;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzz;

/// <summary>
/// A publisher and a subscriber (our client, over TCP) exchanging QoS 1 messages every 10 ms during the fuzz run:
/// none may be lost, duplicated or reordered, and their latency says whether the fuzzing slowed honest clients down.
/// </summary>
internal sealed class TcpCanary : IAsyncDisposable
{
    private readonly MqttClient _publisher;
    private readonly MqttClient _subscriber;
    private readonly CancellationTokenSource _stop = new();
    private readonly CanaryLedger _ledger = new();
    private Task<int>? _publishing;
    private Task? _receiving;

    private TcpCanary(MqttClient publisher, MqttClient subscriber)
    {
        _publisher = publisher;
        _subscriber = subscriber;
    }

    public static async Task<TcpCanary> StartAsync(string host, int port)
    {
        var subscriber = await MqttClient.ConnectAsync(new MqttClientOptions { Host = host, Port = port, ClientId = "canary-sub", ProtocolVersion = MqttProtocolVersion.V500 });
        await subscriber.SubscribeAsync((CanaryLedger.Filter, MqttQualityOfService.AtLeastOnce));
        var publisher = await MqttClient.ConnectAsync(new MqttClientOptions { Host = host, Port = port, ClientId = "canary-pub" });
        var canary = new TcpCanary(publisher, subscriber);
        canary._receiving = Task.Run(canary.ReceiveAsync);
        canary._publishing = Task.Run(canary.PublishAsync);
        return canary;
    }

    /// <summary>Stops publishing, gives the last messages 10 s to arrive; returns (published, received, out of order).</summary>
    public async Task<(int Published, int Received, int OutOfOrder, string? Failure)> StopAsync()
    {
        await _stop.CancelAsync();
        string? failure = null;
        var published = 0;
        try
        {
            published = await _publishing!;
        }
        catch (Exception ex) when (ex is MqttConnectionClosedException or MqttOperationException or IOException or TimeoutException)
        {
            failure = "publisher: " + ex.Message;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_ledger.Received < published && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        return (published, _ledger.Received, _ledger.OutOfOrder, failure);
    }

    public string Latency() => _ledger.Latency();

    private async Task<int> PublishAsync()
    {
        var sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            var payload = Encoding.ASCII.GetBytes(CanaryLedger.Payload(sequence));
            await _publisher.PublishAsync(CanaryLedger.Topic, payload, MqttQualityOfService.AtLeastOnce);
            sequence++;
            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return sequence;
    }

    private async Task ReceiveAsync()
    {
        await foreach (var message in _subscriber.Messages.ReadAllAsync())
        {
            if (message.Topic != CanaryLedger.Topic)
                continue; // a fuzz message that landed under canary/
            _ledger.Arrived(Encoding.ASCII.GetString(message.Payload.Span), out _, out _); // the ledger counts it if out of order
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publisher.DisposeAsync();
        await _subscriber.DisposeAsync();
        if (_receiving is not null)
            await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzz;

/// <summary>
/// A publisher and a subscriber (our client, over TCP) exchanging QoS 1 messages every 10 ms during the fuzz run:
/// none may be lost, duplicated or reordered, and their latency says whether the fuzzing slowed honest clients down.
/// </summary>
internal sealed class TcpCanary : IAsyncDisposable
{
    private const string Topic = "canary/live";
    private readonly MqttClient _publisher;
    private readonly MqttClient _subscriber;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _latencies = [];
    private Task<int>? _publishing;
    private Task? _receiving;
    private int _received;
    private int _outOfOrder;

    private TcpCanary(MqttClient publisher, MqttClient subscriber)
    {
        _publisher = publisher;
        _subscriber = subscriber;
    }

    public static async Task<TcpCanary> StartAsync(string host, int port)
    {
        var subscriber = await MqttClient.ConnectAsync(new MqttClientOptions { Host = host, Port = port, ClientId = "canary-sub", ProtocolVersion = MqttProtocolVersion.V500 });
        await subscriber.SubscribeAsync(("canary/#", MqttQualityOfService.AtLeastOnce));
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
        while (Volatile.Read(ref _received) < published && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        return (published, Volatile.Read(ref _received), _outOfOrder, failure);
    }

    public string Latency()
    {
        lock (_latencies)
        {
            if (_latencies.Count == 0)
                return "no samples";
            var sorted = _latencies.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"p50 {sorted[sorted.Count / 2]:0.0} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:0.0} ms, max {sorted[^1]:0.0} ms");
        }
    }

    private async Task<int> PublishAsync()
    {
        var sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            var payload = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sequence} {Stopwatch.GetTimestamp()}"));
            await _publisher.PublishAsync(Topic, payload, MqttQualityOfService.AtLeastOnce);
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
            if (message.Topic != Topic)
                continue; // a fuzz message that landed under canary/
            var parts = Encoding.ASCII.GetString(message.Payload.Span).Split(' ');
            if (int.Parse(parts[0], CultureInfo.InvariantCulture) != _received)
                Interlocked.Increment(ref _outOfOrder);
            lock (_latencies)
                _latencies.Add(Stopwatch.GetElapsedTime(long.Parse(parts[1], CultureInfo.InvariantCulture)).TotalMilliseconds);
            Interlocked.Increment(ref _received);
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

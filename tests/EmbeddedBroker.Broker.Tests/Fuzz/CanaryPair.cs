using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Fuzzing;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Tests.Fuzz;

/// <summary>
/// A well-behaved publisher and subscriber that keep talking while the fuzzer attacks the same broker: every QoS 1
/// message published must arrive, once and in order, within a bounded time, whatever the other connections do.
/// </summary>
internal sealed class CanaryPair : IAsyncDisposable
{
    private readonly TestClient _publisher;
    private readonly TestClient _subscriber;
    private readonly CancellationTokenSource _stop = new();
    private readonly CanaryLedger _ledger = new();
    private Task<int>? _publishing;
    private Task? _receiving;
    private string? _problem;

    private CanaryPair(TestClient publisher, TestClient subscriber)
    {
        _publisher = publisher;
        _subscriber = subscriber;
    }

    public int Received => _ledger.Received;

    public static async Task<CanaryPair> StartAsync(MqttBroker broker)
    {
        var subscriber = new TestClient(broker, MqttProtocolVersion.V500, "memory:canary-sub");
        await subscriber.ConnectOkAsync("canary-sub");
        await subscriber.SubscribeAsync(CanaryLedger.Filter, MqttQualityOfService.AtLeastOnce);
        var publisher = new TestClient(broker, MqttProtocolVersion.V311, "memory:canary-pub");
        await publisher.ConnectOkAsync("canary-pub");
        var canary = new CanaryPair(publisher, subscriber);
        canary._receiving = Task.Run(canary.ReceiveAsync);
        canary._publishing = Task.Run(canary.PublishAsync);
        return canary;
    }

    /// <summary>Stops publishing and waits until every message published so far has arrived; returns how many.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        var published = await _publishing!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Received < published && _problem is null && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.That(_problem, Is.Null, _problem);
        Assert.That(Received, Is.EqualTo(published), "every canary message arrives (QoS 1, in order, once)");
        return published;
    }

    public string Latency() => _ledger.Latency();

    public double MaximumLatencyMs() => _ledger.MaximumLatencyMs();

    private async Task<int> PublishAsync()
    {
        var sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            var payload = CanaryLedger.Payload(sequence);
            Assert.That(await _publisher.PublishAsync(CanaryLedger.Topic, payload, MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.Success));
            sequence++;
            try
            {
                await Task.Delay(2, _stop.Token);
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
        while (true)
        {
            var publish = await _subscriber.ReceivePublishAsync(timeout: TimeSpan.FromSeconds(30));
            if (publish.Topic != CanaryLedger.Topic)
                continue; // a fuzz will or message that happened to land under canary/
            if (!_ledger.Arrived(publish.Text(), out var sequence, out var expected))
            {
                _problem = $"canary message {sequence} arrived when {expected} was expected";
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publisher.DisposeAsync();
        await _subscriber.DisposeAsync();
        try
        {
            await _receiving!.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is AssertionException or TimeoutException or InvalidOperationException)
        {
            // The subscriber's connection is gone: its receive loop ends here.
        }

        _stop.Dispose();
    }
}

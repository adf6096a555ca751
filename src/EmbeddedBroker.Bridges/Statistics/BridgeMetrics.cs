using System.Diagnostics.Metrics;

namespace EmbeddedBroker.Bridges.Statistics;

/// <summary>
/// The bridges' figures as observable instruments of the meter "EmbeddedBroker.Bridges", one series per bridge
/// (tag <c>bridge</c>); read when a collector asks, so the message path pays nothing for them.
/// </summary>
public sealed class BridgeMetrics : IDisposable
{
    public const string MeterName = "EmbeddedBroker.Bridges";

    private readonly Meter _meter;

    public BridgeMetrics(BridgeStatusProvider provider, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("embeddedbroker.bridge.connected", () => Each(provider, s => s.State == BridgeState.Connected ? 1 : 0),
            "{connection}", "1 while the bridge is connected to its remote broker, else 0.");
        _meter.CreateObservableUpDownCounter("embeddedbroker.bridge.queue.messages", () => Each(provider, s => s.QueueMessages),
            "{message}", "Messages in the out-queue, not yet acknowledged by the remote broker.");
        _meter.CreateObservableUpDownCounter("embeddedbroker.bridge.queue.bytes", () => Each(provider, s => s.QueueBytes),
            "By", "Bytes of the messages in the out-queue.");
        _meter.CreateObservableCounter("embeddedbroker.bridge.messages.sent", () => Each(provider, s => s.Sent),
            "{message}", "PUBLISH packets sent to the remote broker, resends included.");
        _meter.CreateObservableCounter("embeddedbroker.bridge.messages.acknowledged", () => Each(provider, s => s.Acknowledged),
            "{message}", "Messages that left the out-queue: acknowledged by the remote (QoS 1/2) or written (QoS 0).");
        _meter.CreateObservableCounter("embeddedbroker.bridge.messages.dropped", () => Each(provider, s => s.Dropped),
            "{message}", "Messages for the remote that did not fit in the out-queue.");
        _meter.CreateObservableCounter("embeddedbroker.bridge.messages.rejected", () => Each(provider, s => s.Rejected),
            "{message}", "Messages the remote broker refused for good (MQTT 5 reason codes).");
        _meter.CreateObservableCounter("embeddedbroker.bridge.messages.received", () => Each(provider, s => s.Received),
            "{message}", "Messages received from the remote broker.");
        _meter.CreateObservableCounter("embeddedbroker.bridge.reconnects", () => Each(provider, s => s.Reconnects),
            "{connection}", "Connections to the remote broker after the first.");
        _meter.CreateObservableCounter("embeddedbroker.bridge.connect_failures", () => Each(provider, s => s.FailedAttempts),
            "{attempt}", "Connection attempts that failed.");
    }

    public void Dispose() => _meter.Dispose();

    private static Measurement<long>[] Each(BridgeStatusProvider provider, Func<BridgeStatistics, long> value) =>
        [.. provider.Bridges.Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("bridge", s.Name)))];
}

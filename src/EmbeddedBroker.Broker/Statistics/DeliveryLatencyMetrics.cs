using System.Diagnostics.Metrics;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker;

/// <summary>
/// Publish latency as a histogram (meter "EmbeddedBroker.Broker", "embeddedbroker.delivery.duration"): from the moment
/// the broker received a message to the moment a subscriber acknowledged it (PUBACK for QoS 1, PUBCOMP for QoS 2),
/// per QoS. It is a delivery observer: one histogram record per acknowledged delivery, no allocation, no lock.
/// </summary>
public sealed class DeliveryLatencyMetrics : IDeliveryObserver, IDisposable
{
    /// <summary>Seconds, from a loopback round trip to a subscriber that was offline for a minute.</summary>
    private static readonly double[] Boundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter meter;
    private readonly Histogram<double> duration;
    private readonly TimeProvider time;

    public DeliveryLatencyMetrics(IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        meter = meterFactory?.Create(BrokerMetrics.MeterName) ?? new Meter(BrokerMetrics.MeterName);
        this.time = time ?? TimeProvider.System;
        duration = meter.CreateHistogram("embeddedbroker.delivery.duration", "s",
            "Time from receiving a message to a subscriber's acknowledgement of it (QoS 1 PUBACK, QoS 2 PUBCOMP).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Boundaries });
    }

    public void OnDeliveryAcknowledged(MqttClientIdentity subscriber, MqttApplicationMessage message, MqttQualityOfService qos)
    {
        ArgumentNullException.ThrowIfNull(message);
        var seconds = Math.Max(0, (time.GetUtcNow() - message.ReceivedAt).TotalSeconds);
        duration.Record(seconds, new KeyValuePair<string, object?>("qos", qos == MqttQualityOfService.ExactlyOnce ? "2" : "1"));
    }

    public void Dispose() => meter.Dispose();
}

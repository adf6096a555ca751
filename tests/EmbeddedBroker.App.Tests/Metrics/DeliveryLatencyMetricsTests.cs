using System.Diagnostics.Metrics;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.App.Tests.Metrics;

/// <summary>The publish-latency histogram: one record per acknowledged delivery, in seconds since the broker received the message.</summary>
public class DeliveryLatencyMetricsTests
{
    [Test]
    public void An_acknowledged_delivery_records_the_time_since_the_message_was_received_by_qos()
    {
        var received = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new FixedClock(received.AddMilliseconds(40));
        using var metrics = new DeliveryLatencyMetrics(time: clock);
        var recorded = new List<(double Seconds, string? Qos)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BrokerMetrics.MeterName && instrument.Name == "embeddedbroker.delivery.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => recorded.Add((value, tags.ToArray().Single(t => t.Key == "qos").Value as string)));
        listener.Start();

        var message = new MqttApplicationMessage { Topic = "a/b", Payload = new byte[] { 1 }, Qos = MqttQualityOfService.AtLeastOnce, ReceivedAt = received };
        metrics.OnDeliveryAcknowledged(new MqttClientIdentity("sub", null, new MqttConnectionContext { Transport = "tcp", RemoteEndPoint = "127.0.0.1:1", ConnectionId = "1" }), message, MqttQualityOfService.ExactlyOnce);

        Assert.That(recorded, Has.Count.EqualTo(1));
        Assert.That(recorded[0].Seconds, Is.EqualTo(0.040).Within(1e-9));
        Assert.That(recorded[0].Qos, Is.EqualTo("2"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

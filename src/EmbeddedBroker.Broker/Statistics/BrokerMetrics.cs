using System.Diagnostics.Metrics;

namespace EmbeddedBroker.Broker;

/// <summary>
/// The broker's counters as System.Diagnostics.Metrics instruments (meter "EmbeddedBroker.Broker"), for any exporter
/// (the executable serves them at /metrics in Prometheus format). Every instrument is observable: it reads
/// <see cref="BrokerStatistics"/> when a collector asks, so the publish path pays nothing for them.
/// </summary>
public sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "EmbeddedBroker.Broker";

    private readonly Meter meter;

    public BrokerMetrics(BrokerStatistics statistics, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        var s = statistics;
        meter.CreateObservableGauge("embeddedbroker.uptime", () => (DateTimeOffset.UtcNow - s.StartedAt).TotalSeconds, "s", "Time since the broker started.");
        meter.CreateObservableUpDownCounter("embeddedbroker.connections", () => s.ConnectionsCurrent, "{connection}", "Clients connected now (CONNACK sent, not yet disconnected).");
        meter.CreateObservableCounter("embeddedbroker.connections.accepted", () => s.ConnectionsTotal, "{connection}", "Clients accepted since start.");
        meter.CreateObservableCounter("embeddedbroker.connections.rejected", () => s.ConnectionsRejected, "{connection}", "CONNECTs refused with a return or reason code.");
        meter.CreateObservableCounter("embeddedbroker.messages.received", () => s.MessagesReceived, "{message}", "Messages accepted by the publish pipeline (clients, wills, $SYS, API).");
        meter.CreateObservableCounter("embeddedbroker.messages.sent", () => s.MessagesSent, "{message}", "PUBLISH packets written to clients, resends included.");
        meter.CreateObservableCounter("embeddedbroker.io", () => (Measurement<long>[])
            [new(s.BytesReceived, new KeyValuePair<string, object?>("direction", "receive")), new(s.BytesSent, new KeyValuePair<string, object?>("direction", "transmit"))],
            "By", "Bytes of MQTT packets received and sent.");
        meter.CreateObservableCounter("embeddedbroker.messages.dropped", () => (Measurement<long>[])
            [
                Reason(s.MessagesDroppedQueueFull, "queue_full"),
                Reason(s.MessagesDroppedTooLarge, "too_large"),
                Reason(s.MessagesDroppedMemory, "memory_limit"),
                Reason(s.PublishesToDollarTopicsDropped, "dollar_topic"),
                Reason(s.PublishesNotAuthorized, "not_authorized"),
            ],
            "{message}", "Messages not delivered to a subscriber or refused at the door, by reason.");
        meter.CreateObservableCounter("embeddedbroker.publishes.refused_memory", () => s.PublishesRefusedMemory, "{message}", "Publishes refused because the broker's memory budget was used up.");
        meter.CreateObservableCounter("embeddedbroker.connections.closed", () => (Measurement<long>[])
            [
                Reason(s.MalformedPackets, "malformed_packet"),
                Reason(s.ProtocolViolations, "protocol_violation"),
                Reason(s.KeepAliveTimeouts, "keepalive_timeout"),
                Reason(s.ConnectTimeouts, "connect_timeout"),
                Reason(s.PartialPacketTimeouts, "partial_packet_timeout"),
                Reason(s.SessionTakeovers, "session_takeover"),
            ],
            "{connection}", "Connections the broker closed, by reason.");
        meter.CreateObservableCounter("embeddedbroker.wills.published", () => s.WillsPublished, "{message}", "Will messages published.");
        meter.CreateObservableCounter("embeddedbroker.publisher.throttles", () => s.PublisherThrottles, "{event}", "Times a publisher was slowed down by a congested subscriber.");
        meter.CreateObservableCounter("embeddedbroker.observer.failures", () => s.ObserverFailures, "{event}", "Publish observers (recorder, console) that threw.");
        meter.CreateObservableUpDownCounter("embeddedbroker.sessions", () => s.SessionsCount, "{session}", "Sessions held, online and offline.");
        meter.CreateObservableUpDownCounter("embeddedbroker.subscriptions", () => s.SubscriptionsCount, "{subscription}", "Subscriptions held.");
        meter.CreateObservableUpDownCounter("embeddedbroker.retained_messages", () => s.RetainedCount, "{message}", "Retained messages held.");
        meter.CreateObservableUpDownCounter("embeddedbroker.memory.held", () => s.HeldBytes, "By", "Bytes of messages the broker holds in queues and partial packets (its memory budget).");
    }

    public void Dispose() => meter.Dispose();

    private static Measurement<long> Reason(long value, string reason) => new(value, new KeyValuePair<string, object?>("reason", reason));
}

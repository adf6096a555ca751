using System.Globalization;
using System.Text;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Recorder;

namespace EmbeddedBroker.Web.Metrics;

/// <summary>
/// GET /metrics in the Prometheus text exposition format 0.0.4: "# HELP", "# TYPE", then "name value" lines.
/// Counters end in _total; everything is read from the same counters as /api/stats.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(BrokerStatistics broker, RecorderStatistics? recorder, DateTimeOffset now)
    {
        var text = new StringBuilder(4096);
        Gauge(text, "embeddedbroker_uptime_seconds", "Seconds since the broker started.", (now - broker.StartedAt).TotalSeconds);
        Gauge(text, "embeddedbroker_connections", "Clients connected now (CONNACK sent, not yet disconnected).", broker.ConnectionsCurrent);
        Counter(text, "embeddedbroker_connections_total", "Clients accepted since start.", broker.ConnectionsTotal);
        Counter(text, "embeddedbroker_connections_rejected_total", "CONNECTs refused with a return or reason code.", broker.ConnectionsRejected);
        Counter(text, "embeddedbroker_messages_received_total", "Messages accepted by the publish pipeline (clients, wills, $SYS, API).", broker.MessagesReceived);
        Counter(text, "embeddedbroker_messages_sent_total", "PUBLISH packets written to clients, resends included.", broker.MessagesSent);
        Counter(text, "embeddedbroker_bytes_received_total", "Bytes of MQTT packets received.", broker.BytesReceived);
        Counter(text, "embeddedbroker_bytes_sent_total", "Bytes of MQTT packets sent.", broker.BytesSent);

        Header(text, "embeddedbroker_messages_dropped_total", "Messages not delivered to a subscriber, by reason.", "counter");
        Sample(text, "embeddedbroker_messages_dropped_total{reason=\"queue_full\"}", broker.MessagesDroppedQueueFull);
        Sample(text, "embeddedbroker_messages_dropped_total{reason=\"too_large\"}", broker.MessagesDroppedTooLarge);
        Sample(text, "embeddedbroker_messages_dropped_total{reason=\"dollar_topic\"}", broker.PublishesToDollarTopicsDropped);
        Sample(text, "embeddedbroker_messages_dropped_total{reason=\"not_authorized\"}", broker.PublishesNotAuthorized);

        Counter(text, "embeddedbroker_malformed_packets_total", "Connections closed for a malformed or oversized packet.", broker.MalformedPackets);
        Counter(text, "embeddedbroker_protocol_violations_total", "Connections closed for a forbidden packet.", broker.ProtocolViolations);
        Counter(text, "embeddedbroker_keepalive_timeouts_total", "Connections closed because the client went silent past 1.5 x keep-alive.", broker.KeepAliveTimeouts);
        Counter(text, "embeddedbroker_wills_published_total", "Will messages published.", broker.WillsPublished);
        Gauge(text, "embeddedbroker_sessions", "Sessions held, online and offline.", broker.SessionsCount);
        Gauge(text, "embeddedbroker_subscriptions", "Subscriptions held.", broker.SubscriptionsCount);
        Gauge(text, "embeddedbroker_retained_messages", "Retained messages held.", broker.RetainedCount);

        if (recorder is not null)
        {
            Counter(text, "embeddedbroker_recorder_enqueued_total", "Messages queued for recording.", recorder.Enqueued);
            Counter(text, "embeddedbroker_recorder_recorded_total", "Messages written and flushed to the export files.", recorder.Recorded);
            Counter(text, "embeddedbroker_recorder_dropped_total", "Messages that should have been recorded but were not (queue full or after stop).", recorder.Dropped);
            Gauge(text, "embeddedbroker_recorder_queue_depth", "Messages waiting to be written.", recorder.QueueDepth);
            Counter(text, "embeddedbroker_recorder_write_errors_total", "Failed attempts to open, write or flush an export file.", recorder.WriteErrors);
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        Sample(text, name, value);
    }

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "gauge");
        text.Append(name).Append(' ').Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Header(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void Sample(StringBuilder text, string name, long value) =>
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}

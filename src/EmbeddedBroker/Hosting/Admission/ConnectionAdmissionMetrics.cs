using System.Diagnostics.Metrics;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>The admission at accept on /metrics: capacity, open sockets and refusals by reason.</summary>
public sealed class ConnectionAdmissionMetrics
{
    public const string MeterName = "EmbeddedBroker.Connections";

    public ConnectionAdmissionMetrics(ConnectionAdmission admission, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("embeddedbroker.connections.capacity", () => admission.Capacity == long.MaxValue ? -1 : admission.Capacity, "{connection}",
            "Connections all listeners may hold at once (from Connections:MaxConnections and the open-file limit); -1 = no limit.");
        meter.CreateObservableUpDownCounter("embeddedbroker.connections.admitted", () => admission.Open, "{connection}",
            "Sockets admitted at accept and not yet closed (MQTT, TLS, WebSocket and HTTP).");
        meter.CreateObservableCounter("embeddedbroker.connections.refused", () => Enum.GetValues<AdmissionRefusal>()
                .Select(reason => new Measurement<long>(admission.Refused(reason), new KeyValuePair<string, object?>("reason", Tag(reason)))),
            "{connection}", "Sockets closed as soon as accepted, by reason: capacity, per_address, rate, out_of_resources.");
    }

    private static string Tag(AdmissionRefusal reason) => reason switch
    {
        AdmissionRefusal.Capacity => "capacity",
        AdmissionRefusal.PerAddressLimit => "per_address",
        AdmissionRefusal.ConnectRate => "rate",
        _ => "out_of_resources",
    };
}

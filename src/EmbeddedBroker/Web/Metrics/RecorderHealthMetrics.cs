using System.Diagnostics.Metrics;
using EmbeddedBroker.Web.Health;

namespace EmbeddedBroker.Web.Metrics;

/// <summary>embeddedbroker.recorder.failing: 1 while /healthz reports the recorder unhealthy (cannot write, or losing messages), else 0; an alert rule's one line.</summary>
public sealed class RecorderHealthMetrics
{
    public const string MeterName = "EmbeddedBroker.Health";

    public RecorderHealthMetrics(RecorderHealth health, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("embeddedbroker.recorder.failing", () => health.Current().IsFailing ? 1 : 0, "{state}",
            "1 while the recorder cannot write or is dropping messages (as /healthz says), else 0.");
    }
}

using System.Diagnostics.Metrics;

namespace EmbeddedBroker.Recorder;

/// <summary>
/// The recorder's counters as System.Diagnostics.Metrics instruments (meter "EmbeddedBroker.Recorder"). Observable
/// instruments read <see cref="RecorderStatistics"/> when collected; the backlog histogram samples the queue depth
/// once a second on a timer, so the recording path pays nothing for any of them.
/// </summary>
public sealed class RecorderMetrics : IDisposable
{
    public const string MeterName = "EmbeddedBroker.Recorder";

    private static readonly int[] BacklogBoundaries = [0, 1, 10, 100, 1_000, 10_000, 50_000, 100_000, 500_000, 1_000_000];

    private readonly Meter meter;
    private readonly ITimer sampler;

    public RecorderMetrics(RecorderStatistics statistics, IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        var s = statistics;
        meter.CreateObservableCounter("embeddedbroker.recorder.enqueued", () => s.Enqueued, "{message}", "Messages queued for recording.");
        meter.CreateObservableCounter("embeddedbroker.recorder.recorded", () => s.Recorded, "{message}", "Messages written and flushed to every export file.");
        meter.CreateObservableCounter("embeddedbroker.recorder.dropped", () => s.Dropped, "{message}", "Messages that should have been recorded but were not (queue full, or after stop).");
        meter.CreateObservableCounter("embeddedbroker.recorder.write_errors", () => s.WriteErrors, "{error}", "Failed attempts to open, write or flush an export file.");
        meter.CreateObservableCounter("embeddedbroker.recorder.files_rotated", () => s.FilesRotated, "{file}", "Export files rotated.");
        meter.CreateObservableUpDownCounter("embeddedbroker.recorder.queue_depth", () => s.QueueDepth, "{message}", "Messages waiting to be written now.");
        var backlog = meter.CreateHistogram("embeddedbroker.recorder.backlog", "{message}",
            "The recorder queue's depth, sampled once a second: how far behind the disk the recorder runs.",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BacklogBoundaries });
        sampler = (time ?? TimeProvider.System).CreateTimer(_ => backlog.Record(s.QueueDepth), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Dispose()
    {
        sampler.Dispose();
        meter.Dispose();
    }
}

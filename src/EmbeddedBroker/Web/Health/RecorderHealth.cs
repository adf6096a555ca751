using System.Globalization;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Health;

/// <summary>
/// Is the recorder keeping up? Failing while it cannot write (a write error more recent than the last progress, or
/// within two retry periods) and for a minute after it last dropped a message: the state /healthz (503), the
/// healthcheck command, the live console and the dashboard show. Read on demand from <see cref="RecorderStatistics"/>;
/// each read remembers the counters, so a drop is noticed at the next look, not only while it happens.
/// </summary>
public sealed class RecorderHealth(RecorderStatistics statistics, IOptions<RecorderOptions> options, TimeProvider time)
{
    /// <summary>How long a drop keeps the recorder unhealthy: long enough for a probe every 30 s to see it.</summary>
    public static readonly TimeSpan DropWindow = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private long droppedSeen;
    private DateTimeOffset? lastDropSeenAt;
    private long recordedSeen;
    private DateTimeOffset lastProgressAt = time.GetUtcNow();

    public RecorderHealthState Current()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var dropped = statistics.Dropped;
            if (dropped != droppedSeen)
            {
                (droppedSeen, lastDropSeenAt) = (dropped, now);
            }

            var recorded = statistics.Recorded;
            if (recorded != recordedSeen)
            {
                (recordedSeen, lastProgressAt) = (recorded, now);
            }

            if (!options.Value.Enabled)
            {
                return new RecorderHealthState(false, false, "recorder disabled");
            }

            // Errors repeat at least every RetryMaxDelayMs while writing fails; past two periods of silence it recovered.
            var retryWindow = TimeSpan.FromMilliseconds(Math.Max(2 * options.Value.RetryMaxDelayMs, 2_000));
            if (statistics.LastErrorAt is { } errorAt && (errorAt > lastProgressAt || now - errorAt < retryWindow))
            {
                return new RecorderHealthState(true, true, string.Create(CultureInfo.InvariantCulture,
                    $"cannot write the files since {errorAt:HH:mm:ss} UTC ({statistics.LastError}); {statistics.QueueDepth:N0} queued, {statistics.Dropped:N0} dropped"));
            }

            if (lastDropSeenAt is { } dropAt && now - dropAt < DropWindow)
            {
                return new RecorderHealthState(true, false, string.Create(CultureInfo.InvariantCulture,
                    $"messages are being lost: {statistics.Dropped:N0} dropped since start (queue full: the disk is too slow or Recorder:QueueCapacity too small)"));
            }

            return new RecorderHealthState(false, false, string.Create(CultureInfo.InvariantCulture,
                $"{statistics.Recorded:N0} recorded, {statistics.QueueDepth:N0} queued, {statistics.Dropped:N0} dropped"));
        }
    }
}

/// <summary>What <see cref="RecorderHealth.Current"/> found: failing (losing or not writing messages), writing failing now, and a sentence for people.</summary>
public sealed record RecorderHealthState(bool IsFailing, bool IsWriteFailing, string Description);

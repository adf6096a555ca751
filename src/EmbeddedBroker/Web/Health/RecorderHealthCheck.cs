using EmbeddedBroker.Recorder;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmbeddedBroker.Web.Health;

/// <summary>
/// Degraded (still HTTP 200) while the recorder has failed to write in the last minute: messages still flow, but the
/// files may be missing some. It recovers by itself once writes succeed again.
/// </summary>
internal sealed class RecorderHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan RecentErrorWindow = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService(typeof(RecorderStatistics)) is not RecorderStatistics recorder)
        {
            return Task.FromResult(HealthCheckResult.Healthy("recorder not configured"));
        }

        if (recorder.LastErrorAt is { } at && DateTimeOffset.UtcNow - at < RecentErrorWindow)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"write error {at:O}: {recorder.LastError}"));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{recorder.Recorded} recorded, {recorder.QueueDepth} queued, {recorder.Dropped} dropped"));
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmbeddedBroker.Web.Health;

/// <summary>
/// Unhealthy (so /healthz answers 503 and the Docker HEALTHCHECK fails) while the recorder cannot write or is losing
/// messages (<see cref="RecorderHealth"/>); healthy again by itself once writes succeed and nothing was dropped for a minute.
/// </summary>
internal sealed class RecorderHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService(typeof(RecorderHealth)) is not RecorderHealth recorder)
        {
            return Task.FromResult(HealthCheckResult.Healthy("recorder not configured"));
        }

        var state = recorder.Current();
        return Task.FromResult(state.IsFailing ? HealthCheckResult.Unhealthy(state.Description) : HealthCheckResult.Healthy(state.Description));
    }
}

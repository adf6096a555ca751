using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Web.Health;

/// <summary>Healthy once the host has started its listeners, unhealthy while it is stopping (so a load balancer drains it).</summary>
internal sealed class BrokerHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("stopping"));
        }

        return Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("accepting connections")
            : HealthCheckResult.Unhealthy("starting"));
    }
}

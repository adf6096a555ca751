using System.Diagnostics.Metrics;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Hosting.Admission;
using EmbeddedBroker.Persistence.Sqlite;
using EmbeddedBroker.Recorder;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EmbeddedBroker.Web.Metrics;

/// <summary>
/// /metrics in the Prometheus text format, by OpenTelemetry's Prometheus exporter: the broker's and the recorder's
/// instruments (<see cref="BrokerMetrics"/>, <see cref="RecorderMetrics"/>, <see cref="DeliveryLatencyMetrics"/>,
/// <see cref="RecorderHealthMetrics"/>), .NET's runtime and process metrics (meter System.Runtime: GC, heap, thread
/// pool, CPU time, working set) and Kestrel's and ASP.NET Core's (connections, HTTP requests).
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    private static readonly string[] Meters =
    [
        BrokerMetrics.MeterName, RecorderMetrics.MeterName, RecorderHealthMetrics.MeterName, ConnectionAdmissionMetrics.MeterName, StoreMetrics.MeterName,
        Listeners.WebAbuseLog.MeterName,
        "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting",
    ];

    /// <summary>
    /// .NET's gauges whose names end in ".count" would be exported as "_count", which Prometheus reserves for
    /// histograms and summaries (`promtool check metrics` refuses them): they are exported under these names.
    /// </summary>
    private static readonly (string Instrument, string Name)[] PrometheusNames =
    [
        ("dotnet.assembly.count", "dotnet.assemblies.loaded"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.timer.count", "dotnet.timers"),
    ];

    public static IServiceCollection AddBrokerMetrics(this IServiceCollection services)
    {
        services.AddSingleton(sp => new BrokerMetrics(sp.GetRequiredService<MqttBroker>().Statistics, sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(sp => new RecorderMetrics(sp.GetRequiredService<RecorderStatistics>(), sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton<RecorderHealthMetrics>();
        services.AddSingleton<ConnectionAdmissionMetrics>();
        services.AddSingleton<StoreMetrics>();
        services.AddSingleton(sp => new DeliveryLatencyMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton<IDeliveryObserver>(sp => sp.GetRequiredService<DeliveryLatencyMetrics>());
        services.AddHostedService<MetricsActivation>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("embeddedbroker", serviceVersion: typeof(MetricsSetup).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                foreach (var (instrument, name) in PrometheusNames)
                {
                    metrics.AddView(instrument, name);
                }

                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0); // every scrape sees live values
            });
        return services;
    }

    /// <summary>GET (and HEAD) /metrics.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints) => endpoints.MapPrometheusScrapingEndpoint(Path);

    /// <summary>Creates the instruments once the host starts (after options validation), so the first scrape already has them.</summary>
    private sealed class MetricsActivation(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<BrokerMetrics>();
            _ = services.GetRequiredService<RecorderMetrics>();
            _ = services.GetRequiredService<RecorderHealthMetrics>();
            if (services.GetService<ConnectionAdmission>() is not null)
            {
                _ = services.GetRequiredService<ConnectionAdmissionMetrics>();
            }
            if (services.GetService<IOptions<PersistenceOptions>>()?.Value is { Enabled: true })
            {
                _ = services.GetRequiredService<StoreMetrics>();
            }
            _ = services.GetRequiredService<DeliveryLatencyMetrics>();
            _ = services.GetService<Listeners.WebAbuseLog>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

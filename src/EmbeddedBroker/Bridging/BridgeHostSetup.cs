using EmbeddedBroker.Bridges;
using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Statistics;
using EmbeddedBroker.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace EmbeddedBroker.Bridging;

/// <summary>
/// Bridges in the broker's host: the "Bridges" section (appsettings, or mosquitto.conf's connection blocks), their
/// out-queues beside the broker's store (Persistence:Path's folder; in memory when persistence is off), the local
/// broker they publish into, and their meter on /metrics.
/// </summary>
internal static class BridgeHostSetup
{
    public static IServiceCollection AddBridges(this IServiceCollection services, IConfiguration configuration)
    {
        var persistence = configuration.GetSection(PersistenceOptions.SectionName);
        var queueFolder = persistence.GetValue(nameof(PersistenceOptions.Enabled), true)
            ? Path.GetDirectoryName(Path.GetFullPath(persistence[nameof(PersistenceOptions.Path)] ?? new PersistenceOptions().Path))
            : null;
        var synchronous = (persistence[nameof(PersistenceOptions.Synchronous)] ?? "normal").ToLowerInvariant();
        services.AddMqttBridges(configuration.GetSection(BridgesOptions.SectionName), queueFolder, synchronous);
        services.AddSingleton<ILocalBroker, EngineLocalBroker>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(BridgeMetrics.MeterName));
        return services;
    }
}

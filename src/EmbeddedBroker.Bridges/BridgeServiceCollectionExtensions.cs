using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Statistics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Bridges;

public static class BridgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bridges of <paramref name="bridgesSection"/> (the "Bridges" list, validated at start): the publish
    /// observer that feeds their out-queues (an <see cref="IPublishObserver"/>, so register this before the broker is
    /// built), the hosted service that runs their connections (needs an <see cref="ILocalBroker"/>), their $SYS topics
    /// (<see cref="ISysTopicSource"/>), <see cref="BridgeStatusProvider"/> and <see cref="BridgeMetrics"/>.
    /// <paramref name="queueFolder"/> holds one queue file per bridge; null keeps the queues in memory only.
    /// </summary>
    public static IServiceCollection AddMqttBridges(this IServiceCollection services, IConfiguration bridgesSection, string? queueFolder,
        string synchronous = "normal")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(bridgesSection);

        services.AddOptions<BridgesOptions>()
            .Configure(o => Bind(o, bridgesSection, queueFolder, synchronous))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BridgesOptions>, BridgeOptionsValidator>();
        services.AddSingleton<BridgeRegistry>();
        services.AddSingleton(sp => new BridgeStatusProvider(sp.GetRequiredService<BridgeRegistry>()));
        services.AddSingleton<IPublishObserver, BridgeObserver>();
        services.AddSingleton<ISysTopicSource, BridgeSysTopics>();
        services.AddSingleton(sp => new BridgeMetrics(sp.GetRequiredService<BridgeStatusProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<IHostedService, BridgeService>();
        return services;
    }

    /// <summary>The section is a list, so the queue settings come from elsewhere; unknown keys in a bridge are refused.</summary>
    private static void Bind(BridgesOptions options, IConfiguration section, string? queueFolder, string synchronous)
    {
        options.Items = section.Get<List<BridgeOptions>>(o => o.ErrorOnUnknownConfiguration = true) ?? [];
        options.QueueFolder = queueFolder;
        options.Synchronous = synchronous;
    }
}

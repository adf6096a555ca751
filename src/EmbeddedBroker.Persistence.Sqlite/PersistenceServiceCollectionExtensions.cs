using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Contracts.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Persistence.Sqlite;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the state store: <see cref="PersistenceOptions"/> bound from <paramref name="persistenceSection"/>
    /// (the "Persistence" section) and validated at start, and <see cref="PersistenceStatistics"/> (always, so that
    /// /api/stats can say persistence is off). When <c>Enabled</c> (the default) also one <see cref="SqliteBrokerStore"/>
    /// exposed as <see cref="IBrokerStore"/> and <see cref="IHostedService"/>: register it before the broker's own hosted
    /// services so that it starts first and stops after them (hosted services stop in reverse order).
    /// </summary>
    public static IServiceCollection AddSqlitePersistence(this IServiceCollection services, IConfiguration persistenceSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(persistenceSection);

        services.AddOptions<PersistenceOptions>()
            .Bind(persistenceSection, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersistenceOptions>, PersistenceOptionsValidator>());
        services.TryAddSingleton<PersistenceStatistics>();
        services.AddSingleton<ISysTopicSource>(provider => provider.GetRequiredService<PersistenceStatistics>());
        if (!persistenceSection.GetValue(nameof(PersistenceOptions.Enabled), true))
        {
            return services;
        }
        services.TryAddSingleton<SqliteBrokerStore>();
        services.AddSingleton<IBrokerStore>(provider => provider.GetRequiredService<SqliteBrokerStore>());
        services.AddHostedService(provider => provider.GetRequiredService<SqliteBrokerStore>());
        return services;
    }
}

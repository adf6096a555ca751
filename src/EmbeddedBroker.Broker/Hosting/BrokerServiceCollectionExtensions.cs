using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Contracts.Hooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Broker;

public static class BrokerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the broker: <see cref="MqttBrokerOptions"/> bound from <paramref name="brokerSection"/> and validated at
    /// start, the <see cref="MqttBroker"/> singleton (hooks from DI: every <see cref="IPublishObserver"/> and
    /// <see cref="IPublishInterceptor"/> and <see cref="IDeliveryObserver"/>, the optional authenticator and authorizers, an
    /// optional <see cref="IBrokerStore"/>), <see cref="MqttConnectionHandler"/> for Kestrel, and the hosted service that
    /// loads the store's state at start.
    /// </summary>
    public static IServiceCollection AddMqttBroker(this IServiceCollection services, IConfiguration brokerSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(brokerSection);

        services.AddOptions<MqttBrokerOptions>()
            .Bind(brokerSection, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttBrokerOptions>, MqttBrokerOptionsValidator>();

        services.AddSingleton(sp => new MqttBroker(
            sp.GetRequiredService<IOptions<MqttBrokerOptions>>().Value,
            new MqttBrokerHooks
            {
                Authenticator = sp.GetService<IConnectAuthenticator>(),
                EnhancedAuthenticator = sp.GetService<IEnhancedAuthenticator>(),
                PublishAuthorizer = sp.GetService<IPublishAuthorizer>(),
                SubscribeAuthorizer = sp.GetService<ISubscribeAuthorizer>(),
                DeliveryAuthorizer = sp.GetService<IDeliveryAuthorizer>(),
                Interceptors = [.. sp.GetServices<IPublishInterceptor>()],
                Observers = [.. sp.GetServices<IPublishObserver>()],
                DeliveryObservers = [.. sp.GetServices<IDeliveryObserver>()],
                SysTopicSources = [.. sp.GetServices<ISysTopicSource>()],
                Store = sp.GetService<IBrokerStore>(),
            },
            sp.GetService<ILoggerFactory>()));
        services.AddSingleton<MqttConnectionHandler>();

        // Before the web host's listeners open (hosted services start in registration order, the server last):
        // what the store kept is loaded first.
        services.AddHostedService<BrokerStateLoader>();
        return services;
    }
}

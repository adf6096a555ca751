using EmbeddedBroker.Broker.Hooks;
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
    /// <see cref="IPublishInterceptor"/>, an optional <see cref="IPublishAuthorizer"/>, and <see cref="IConnectAuthenticator"/>),
    /// and <see cref="MqttConnectionHandler"/> for Kestrel.
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
                PublishAuthorizer = sp.GetService<IPublishAuthorizer>(),
                Interceptors = [.. sp.GetServices<IPublishInterceptor>()],
                Observers = [.. sp.GetServices<IPublishObserver>()],
                DeliveryObservers = [.. sp.GetServices<IDeliveryObserver>()],
            },
            sp.GetService<ILoggerFactory>()));
        services.AddSingleton<MqttConnectionHandler>();
        return services;
    }
}

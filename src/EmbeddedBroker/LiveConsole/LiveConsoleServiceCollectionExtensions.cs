using EmbeddedBroker.Broker.Hooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.LiveConsole;

public static class LiveConsoleServiceCollectionExtensions
{
    /// <summary>
    /// The live console and its publish observer. Status shows the broker's client count unless another
    /// <see cref="IConnectionStatus"/> was registered first (record mode).
    /// </summary>
    public static IServiceCollection AddLiveConsole(this IServiceCollection services, IConfiguration section)
    {
        services.AddSingleton<IValidateOptions<LiveConsoleOptions>, LiveConsoleOptionsValidator>();
        services.AddOptions<LiveConsoleOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<ConsoleFeed>();
        services.AddSingleton<IPublishObserver>(sp => sp.GetRequiredService<ConsoleFeed>());
        services.TryAddSingleton<IConnectionStatus, BrokerConnectionStatus>();
        services.TryAddSingleton<ConsoleLogCapture>();
        services.AddSingleton<ConsoleStatusSource>();
        services.AddSingleton<LiveDisplayView>();
        services.AddSingleton<PlainConsoleView>();
        services.AddHostedService<LiveConsoleService>();
        return services;
    }
}

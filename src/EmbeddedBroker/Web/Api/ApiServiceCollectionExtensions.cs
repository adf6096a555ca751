using EmbeddedBroker.Web.Messages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Api;

internal static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// The API's history: <see cref="WebHistoryOptions"/> (validated at start), the rings of recent messages and delivery
    /// receipts, registered as publish and delivery observers so the broker feeds them, and where the API reads from.
    /// </summary>
    public static IServiceCollection AddApiHistory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebHistoryOptions>().Bind(configuration.GetSection(WebHistoryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebHistoryOptions>, WebHistoryOptionsValidator>();
        services.AddOptions<Recorder.Options.RecorderOptions>();
        services.AddSingleton<RecentMessageLog>();
        services.AddSingleton<IPublishObserver>(provider => provider.GetRequiredService<RecentMessageLog>());
        services.AddSingleton<RecentDeliveryLog>();
        services.AddSingleton<IDeliveryObserver>(provider => provider.GetRequiredService<RecentDeliveryLog>());
        services.AddSingleton<ApiHistory>();
        services.AddSingleton<RetainedSysCount>();
        return services;
    }
}

using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder;

public static class RecorderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the recorder: <see cref="RecorderOptions"/> bound from <paramref name="recorderSection"/> (the "Recorder"
    /// section) and validated at start-up, one <see cref="MessageRecorder"/> exposed as <see cref="IHostedService"/>,
    /// <see cref="IPublishObserver"/> (whose receipts hold acknowledgements with AckAfterRecorded) and <see cref="IDeliveryObserver"/>
    /// (delivery receipts, with Recorder:RecordDeliveries), <see cref="RecorderStatistics"/>, and <see cref="History.RecordedHistory"/>
    /// (the databases read back, for the HTTP API).
    /// </summary>
    public static IServiceCollection AddMqttRecorder(this IServiceCollection services, IConfiguration recorderSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(recorderSection);

        services.AddOptions<RecorderOptions>().Bind(recorderSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecorderOptions>, RecorderOptionsValidator>());
        services.TryAddSingleton<RecorderStatistics>();
        services.TryAddSingleton<History.RecordedHistory>();
        services.TryAddSingleton<MessageRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<MessageRecorder>());
        services.AddSingleton<IPublishObserver>(provider => provider.GetRequiredService<MessageRecorder>());
        services.AddSingleton<IDeliveryObserver>(provider => provider.GetRequiredService<MessageRecorder>());
        return services;
    }
}

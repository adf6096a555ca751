using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Simulation;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>The sensor simulator (idle unless Simulator:Enabled / --simulate). Needs the broker (AddMqttBroker).</summary>
    public static IServiceCollection AddSensorSimulator(this IServiceCollection services, IConfiguration section)
    {
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.AddOptions<SimulatorOptions>().Bind(section).ValidateOnStart();
        services.AddHostedService<SensorSimulator>();
        return services;
    }
}

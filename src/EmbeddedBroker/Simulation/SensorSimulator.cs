using EmbeddedBroker.Broker;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Simulation;

/// <summary>
/// --simulate: every interval, each sensor takes a random-walk step and publishes it through the broker's one publish
/// pipeline (<see cref="MqttBroker.PublishAsync"/>), so simulated values are recorded and delivered like any other.
/// The first round is published at start, so subscribers see every sensor within one interval.
/// </summary>
internal sealed class SensorSimulator(MqttBroker broker, IOptions<SimulatorOptions> options, ILogger<SensorSimulator> logger) : BackgroundService
{
    public const string ClientId = "simulator";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var json = string.Equals(settings.Payload, "json", StringComparison.OrdinalIgnoreCase);
        var random = new Random();
        var sensors = settings.EffectiveSensors
            .Select(definition => (Model: new SensorModel(definition, random), Topic: $"{settings.TopicPrefix}/{definition.Name}"))
            .ToArray();
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds);
        logger.LogInformation("Simulating {Count} sensors ({Names}) on {Prefix}/<name> every {Interval} s",
            sensors.Length, string.Join(", ", sensors.Select(s => s.Model.Definition.Name)), settings.TopicPrefix, settings.IntervalSeconds);

        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                foreach (var (model, topic) in sensors)
                {
                    var message = new MqttApplicationMessage
                    {
                        Topic = topic,
                        Payload = SensorPayload.Format(model.Definition, model.Next(), json),
                        Qos = (MqttQualityOfService)settings.Qos,
                        Retain = settings.Retain,
                        SourceClientId = ClientId,
                        Source = MessageSource.Simulator,
                    };
                    await broker.PublishAsync(message, cancellationToken: stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal stop.
        }
    }
}

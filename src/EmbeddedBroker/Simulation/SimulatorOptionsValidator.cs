using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Simulation;

/// <summary>Stops start-up on simulator settings that cannot work, naming the key and the fix.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private const string Section = SimulatorOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (!(options.IntervalSeconds > 0 && options.IntervalSeconds <= 86_400))
        {
            failures.Add($"{Section}:IntervalSeconds {options.IntervalSeconds} is not valid: use seconds greater than 0 (at most 86400), e.g. --simulate-interval 5.");
        }

        if (options.Qos is < 0 or > 2)
        {
            failures.Add($"{Section}:Qos {options.Qos} is not valid: use 0, 1 or 2.");
        }

        if (!string.Equals(options.Payload, "value", StringComparison.OrdinalIgnoreCase) && !string.Equals(options.Payload, "json", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:Payload '{options.Payload}' is not valid: use value (23.7) or json ({{\"value\":23.7,\"unit\":\"°C\"}}).");
        }

        var sensors = options.EffectiveSensors;
        for (var i = 0; i < sensors.Count; i++)
        {
            var sensor = sensors[i];
            var topic = $"{options.TopicPrefix}/{sensor.Name}";
            if (string.IsNullOrWhiteSpace(sensor.Name) || !MqttTopic.IsValidTopicName(topic))
            {
                failures.Add($"{Section}:Sensors:{i}:Name '{sensor.Name}' with TopicPrefix '{options.TopicPrefix}' does not make a valid topic name: use words without '+', '#', e.g. temperature.");
            }

            if (!(sensor.Min < sensor.Max) || sensor.Step <= 0 || sensor.Decimals is < 0 or > 6)
            {
                failures.Add($"{Section}:Sensors:{i} ('{sensor.Name}') needs Min < Max, Step > 0 and Decimals 0..6, e.g. Min 15, Max 30, Step 0.3, Decimals 1.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

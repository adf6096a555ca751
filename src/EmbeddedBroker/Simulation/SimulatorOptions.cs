namespace EmbeddedBroker.Simulation;

/// <summary>Section "Simulator": the sensor simulator behind --simulate.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>--simulate.</summary>
    public bool Enabled { get; set; }

    /// <summary>--simulate-interval: seconds between two rounds (every sensor publishes once per round).</summary>
    public double IntervalSeconds { get; set; } = 5;

    /// <summary>Values are published on &lt;TopicPrefix&gt;/&lt;sensor name&gt;.</summary>
    public string TopicPrefix { get; set; } = "sensors";

    /// <summary>0, 1 or 2.</summary>
    public int Qos { get; set; }

    /// <summary>Retain the last value so a dashboard opened later shows it at once.</summary>
    public bool Retain { get; set; }

    /// <summary>Payload shape: "value" (the number as text, like `mosquitto_pub -m 23.7`) or "json" ({"value":23.7,"unit":"°C"}).</summary>
    public string Payload { get; set; } = "value";

    /// <summary>Sensors to simulate; empty means <see cref="SensorDefinition.Defaults"/>.</summary>
    public List<SensorDefinition> Sensors { get; set; } = [];

    public IReadOnlyList<SensorDefinition> EffectiveSensors => Sensors.Count > 0 ? Sensors : SensorDefinition.Defaults;
}

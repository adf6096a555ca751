namespace EmbeddedBroker.Simulation;

/// <summary>One simulated sensor: its topic level, unit and the band its value drifts in.</summary>
public sealed class SensorDefinition
{
    /// <summary>Last topic level: the value is published on &lt;TopicPrefix&gt;/&lt;Name&gt;.</summary>
    public string Name { get; set; } = "";

    public string Unit { get; set; } = "";

    public double Min { get; set; }

    public double Max { get; set; }

    /// <summary>Largest change between two rounds (a random walk step is uniform in [-Step, +Step]).</summary>
    public double Step { get; set; }

    /// <summary>Digits after the decimal point in the published text.</summary>
    public int Decimals { get; set; } = 1;

    /// <summary>Plausible indoor defaults, the sensors the seed scripts simulated and a few more.</summary>
    public static IReadOnlyList<SensorDefinition> Defaults { get; } =
    [
        new() { Name = "temperature", Unit = "°C", Min = 15, Max = 30, Step = 0.3, Decimals = 1 },
        new() { Name = "humidity", Unit = "%", Min = 25, Max = 75, Step = 1.0, Decimals = 1 },
        new() { Name = "pressure", Unit = "hPa", Min = 980, Max = 1040, Step = 0.5, Decimals = 1 },
        new() { Name = "co2", Unit = "ppm", Min = 400, Max = 2000, Step = 25, Decimals = 0 },
        new() { Name = "light", Unit = "lx", Min = 0, Max = 1000, Step = 40, Decimals = 0 },
    ];
}

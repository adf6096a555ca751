namespace EmbeddedBroker.Simulation;

/// <summary>
/// A sensor's current value as a bounded random walk: each round moves it by at most <see cref="SensorDefinition.Step"/>,
/// and a step that would leave [Min, Max] is reflected back inside, so values drift plausibly and never escape.
/// </summary>
public sealed class SensorModel
{
    private readonly Random random;

    public SensorModel(SensorDefinition definition, Random random)
    {
        Definition = definition;
        this.random = random;
        // Start somewhere in the middle half of the band, not at an edge.
        Value = Round(definition.Min + ((definition.Max - definition.Min) * (0.25 + (0.5 * random.NextDouble()))));
    }

    public SensorDefinition Definition { get; }

    public double Value { get; private set; }

    public double Next()
    {
        var next = Value + (((random.NextDouble() * 2) - 1) * Definition.Step);
        if (next > Definition.Max)
        {
            next = Definition.Max - (next - Definition.Max);
        }
        else if (next < Definition.Min)
        {
            next = Definition.Min + (Definition.Min - next);
        }

        Value = Round(Math.Clamp(next, Definition.Min, Definition.Max));
        return Value;
    }

    private double Round(double value) => Math.Round(value, Definition.Decimals, MidpointRounding.AwayFromZero);
}

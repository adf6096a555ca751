using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmbeddedBroker.Bench;

/// <summary>What a scenario measured: named figures printed as text or as one JSON object for compare.sh.</summary>
internal sealed class BenchResult
{
    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public BenchResult(string scenario, BenchOptions options)
    {
        Figures["scenario"] = scenario;
        Figures["qos"] = (int)options.Qos;
        Figures["protocol"] = (int)options.Protocol;
    }

    /// <summary>Insertion-ordered so the text output reads in the order the scenario measured.</summary>
    public Dictionary<string, object> Figures { get; } = [];

    public BenchResult Set(string name, object value)
    {
        Figures[name] = value is double d ? Math.Round(d, 3) : value;
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(Figures, JsonOptions);

    public string ToText() => string.Join(Environment.NewLine, Figures.Select(f => $"{f.Key,-24} {f.Value}"));
}

namespace EmbeddedBroker.Cli;

/// <summary>
/// One command-line option: its spellings, the configuration key it sets (so every option is also settable in
/// appsettings.json and environment variables), how its value is checked, and its help line.
/// </summary>
public sealed record CliOption(
    IReadOnlyList<string> Names,
    string ConfigKey,
    CliValueKind Kind,
    string Description,
    string ValueName = "",
    string FlagValue = "true")
{
    public bool TakesValue => Kind != CliValueKind.Flag;

    /// <summary>Topic filters accumulate into a configuration array (ConfigKey:0, ConfigKey:1, ...).</summary>
    public bool IsList => Kind == CliValueKind.TopicFilter;

    public string PrimaryName => Names[^1];
}

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Extra command-line switches mapped to configuration keys, accepted by the broker command without value checks
/// (the section's options validator checks them at start-up). The documented options, with value checks and --help
/// text, live in <see cref="Cli.CliCatalog"/>, which wins when a switch is in both.
/// Anything else is read as `--Section:Key value`, the host's own command-line syntax.
/// </summary>
internal static class CommandLineSwitches
{
    public static IDictionary<string, string> Mappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--port"] = "Listeners:Mqtt:Port",
        ["-p"] = "Listeners:Mqtt:Port",
        ["--format"] = "Recorder:Format",
        ["--output"] = "Recorder:Output",
    };
}

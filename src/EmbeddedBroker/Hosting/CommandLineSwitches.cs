namespace EmbeddedBroker.Hosting;

/// <summary>
/// Short command-line spellings users and scripts rely on, mapped to configuration keys.
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

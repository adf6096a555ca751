using System.Text;

namespace EmbeddedBroker.Cli;

/// <summary>--help, generated from <see cref="CliCatalog"/> so it always lists exactly what the parser accepts.</summary>
public static class HelpText
{
    public static string For(CliCommand command)
    {
        var text = new StringBuilder();
        switch (command)
        {
            case CliCommand.Record:
                text.AppendLine("Usage: EmbeddedBroker record [--broker HOST] [--port N] [--topic FILTER]... [--share GROUP] [options]");
                text.AppendLine();
                text.AppendLine("Records the messages of another MQTT broker (e.g. an existing Mosquitto) into the same CSV/JSON files,");
                text.AppendLine("reconnecting with back-off when that broker goes away.");
                break;
            case CliCommand.HealthCheck:
                text.AppendLine("Usage: EmbeddedBroker healthcheck [--port N]");
                text.AppendLine();
                text.AppendLine("Connects to this machine's MQTT port once; exit code 0 = the broker accepted the connection, 1 = it did not.");
                break;
            default:
                text.AppendLine("Usage: EmbeddedBroker [options]            run the MQTT broker, recorder and live console");
                text.AppendLine("       EmbeddedBroker record [options]     record from another broker (EmbeddedBroker record --help)");
                text.AppendLine("       EmbeddedBroker healthcheck          probe the local broker (exit 0/1), for Docker");
                text.AppendLine();
                text.AppendLine("Type q in the terminal to stop cleanly (files are flushed, clients disconnected).");
                break;
        }

        text.AppendLine();
        text.AppendLine("Options:");
        var rows = CliCatalog.For(command)
            .Select(o => (Left: string.Join(", ", o.Names) + (o.TakesValue ? " " + o.ValueName : ""), o.Description,
                Where: o.ConfigKey == CliCatalog.ConfigFileKey
                    ? $"env {ConfigFileEnvironmentVariable}"
                    : $"config {o.ConfigKey}{(o.IsList ? "[]" : "")}, env {EnvironmentName(o.ConfigKey)}{(o.IsList ? "__0, __1, ..." : "")}"))
            .Append((Left: "-h, --help", Description: "show this help", Where: ""))
            .ToList();
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, description, where) in rows)
        {
            text.Append("  ").Append(left.PadRight(width)).AppendLine(description);
            if (where.Length > 0)
            {
                text.Append("  ").Append(new string(' ', width)).AppendLine(where);
            }
        }

        text.AppendLine();
        text.AppendLine("Precedence, lowest first: config/appsettings.json next to the program < the -c file (or EMBEDDEDBROKER_CONFIG)");
        text.AppendLine("< environment variables (Section__Key) < the command line. Any setting can be given as --Section:Key VALUE.");
        text.AppendLine("Reference: docs/cli.md.");
        return text.ToString();
    }

    /// <summary>The environment variable that sets a configuration key ("Recorder:Format" -> "Recorder__Format").</summary>
    public static string EnvironmentName(string configKey) =>
        configKey == CliCatalog.ConfigFileKey ? ConfigFileEnvironmentVariable : configKey.Replace(":", "__", StringComparison.Ordinal);

    public const string ConfigFileEnvironmentVariable = "EMBEDDEDBROKER_CONFIG";
}

using EmbeddedBroker.Cli;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// One documented precedence, lowest first: embedded defaults in config/appsettings.json (next to the executable),
/// then the file named by -c/--config (or the EMBEDDEDBROKER_CONFIG environment variable), then environment variables
/// (Recorder__Format=csv), then the command line (--port 1884, --Recorder:Format csv). See docs/cli.md.
/// </summary>
internal static class ConfigurationSetup
{
    public static void Apply(IConfigurationManager configuration, ParsedCommandLine commandLine)
    {
        var lower = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: false, reloadOnChange: false);

        var configFile = commandLine.ConfigFile ?? Environment.GetEnvironmentVariable(CliCatalog.ConfigFileEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configFile))
        {
            var fullPath = Path.GetFullPath(configFile);
            if (!File.Exists(fullPath))
            {
                throw new FileNotFoundException($"--config: file '{fullPath}' does not exist: pass the path of a JSON file shaped like config/appsettings.json.");
            }

            AddConfigFile(lower, fullPath);
        }

        lower.AddEnvironmentVariables();

        configuration.Sources.Clear();
        configuration.Add(new ReplacedSectionsConfigurationSource(lower.Build(), commandLine.ReplacedSections));
        configuration.AddInMemoryCollection(commandLine.Overrides);
    }

    /// <summary>
    /// The -c file, read by what it contains rather than by its name: JSON (its first character is '{') is layered as
    /// is. Anything else is taken for a mosquitto.conf, which this version cannot read yet: the seam for that reader is
    /// here (a configuration source that maps its directives to our keys, added instead of the JSON file).
    /// </summary>
    private static void AddConfigFile(IConfigurationBuilder builder, string path)
    {
        if (FirstSignificantChar(path) == '{')
        {
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            return;
        }

        throw new InvalidDataException($"--config: '{path}' is not a JSON settings file (a mosquitto.conf?): pass a JSON file shaped like config/appsettings.json (docs/cli.md, Coming from Mosquitto).");
    }

    private static char? FirstSignificantChar(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        int next;
        while ((next = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)next))
            {
                return (char)next;
            }
        }

        return null;
    }
}

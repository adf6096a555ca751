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

            lower.AddJsonFile(fullPath, optional: false, reloadOnChange: false);
        }

        lower.AddEnvironmentVariables();

        configuration.Sources.Clear();
        configuration.Add(new ReplacedSectionsConfigurationSource(lower.Build(), commandLine.ReplacedSections));
        configuration.AddInMemoryCollection(commandLine.Overrides);
    }
}

using EmbeddedBroker.Cli;
using EmbeddedBroker.Configuration.Mosquitto;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// One documented precedence, lowest first: embedded defaults in config/appsettings.json (next to the executable),
/// then the file named by -c/--config (or the EMBEDDEDBROKER_CONFIG environment variable), then environment variables
/// (Recorder__Format=csv), then the command line (--port 1884, --Recorder:Format csv). See docs/cli.md.
/// </summary>
internal static class ConfigurationSetup
{
    /// <returns>The mosquitto.conf read, when the -c file is one (its warnings are logged at start-up), else null.</returns>
    /// <exception cref="MosquittoConfigurationException">The mosquitto.conf cannot be used (one line: file:line, key, fix).</exception>
    public static MosquittoConfiguration? Apply(IConfigurationManager configuration, ParsedCommandLine commandLine)
    {
        var lower = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: false, reloadOnChange: false);

        MosquittoConfigurationSource? mosquitto = null;
        var configFile = commandLine.ConfigFile ?? Environment.GetEnvironmentVariable(CliCatalog.ConfigFileEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configFile))
        {
            var fullPath = Path.GetFullPath(configFile);
            if (!File.Exists(fullPath))
            {
                throw new FileNotFoundException($"--config: file '{fullPath}' does not exist: pass the path of a mosquitto.conf or of a JSON file shaped like config/appsettings.json.");
            }

            mosquitto = AddConfigFile(lower, fullPath, configFile);
        }

        lower.AddEnvironmentVariables();
        var lowerConfiguration = lower.Build();

        configuration.Sources.Clear();
        configuration.Add(new ReplacedSectionsConfigurationSource(lowerConfiguration, commandLine.ReplacedSections));
        configuration.AddInMemoryCollection(commandLine.Overrides);
        configuration.AddInMemoryCollection(BindOverrides.For(lowerConfiguration, commandLine.Overrides));
        return mosquitto?.LastRead;
    }

    /// <summary>
    /// The -c file, read by what it contains rather than by its name (docs/mosquitto-conf.md): JSON (its first
    /// character is '{', or a // or /* comment) is layered as is; anything else is a mosquitto.conf, mapped to our keys
    /// by <see cref="MosquittoConfigurationReader"/> at the same precedence.
    /// </summary>
    private static MosquittoConfigurationSource? AddConfigFile(IConfigurationBuilder builder, string path, string asGiven)
    {
        if (!MosquittoConfigurationFile.IsMosquittoConf(path))
        {
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            return null;
        }

        // As given, so that messages name the file as the user wrote it (mosquitto.conf:7: ...).
        var source = new MosquittoConfigurationSource(asGiven);
        builder.Add(source);
        return source;
    }
}

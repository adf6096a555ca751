using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// One documented precedence, lowest first: embedded defaults in config/appsettings.json (next to the executable),
/// then the file named by -c/--config, then environment variables (Broker__MaximumPacketSize=...),
/// then the command line (--port 1884, --Recorder:Format csv).
/// </summary>
internal static class ConfigurationSetup
{
    private static readonly Dictionary<string, string> ConfigFileSwitch = new(StringComparer.Ordinal)
    {
        ["-c"] = "ConfigFile",
        ["--config"] = "ConfigFile",
    };

    public static void Apply(IConfigurationManager configuration, string[] args)
    {
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: false, reloadOnChange: false);

        var configFile = ReadConfigFileArgument(args);
        if (configFile is not null)
        {
            var fullPath = Path.GetFullPath(configFile);
            if (!File.Exists(fullPath))
            {
                throw new FileNotFoundException($"--config: file '{fullPath}' does not exist: pass the path of a JSON file shaped like config/appsettings.json.");
            }

            configuration.AddJsonFile(fullPath, optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args, AllSwitches());
    }

    private static string? ReadConfigFileArgument(string[] args)
    {
        var pre = new ConfigurationBuilder().AddCommandLine(args, AllSwitches()).Build();
        return pre["ConfigFile"];
    }

    private static Dictionary<string, string> AllSwitches()
    {
        var all = new Dictionary<string, string>(CommandLineSwitches.Mappings, StringComparer.Ordinal);
        foreach (var (key, value) in ConfigFileSwitch)
        {
            all[key] = value;
        }

        return all;
    }
}

using Microsoft.Extensions.Configuration;
using Serilog;

namespace EmbeddedBroker.Hosting;

/// <summary>Serilog from the "Serilog" configuration section, with a console sink when the section names none.</summary>
internal static class LoggingSetup
{
    public static Serilog.ILogger CreateLogger(IConfiguration configuration)
    {
        var loggerConfiguration = new LoggerConfiguration()
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration);

        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            loggerConfiguration.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }

        return loggerConfiguration.CreateLogger();
    }
}

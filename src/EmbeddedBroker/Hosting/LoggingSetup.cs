using EmbeddedBroker.LiveConsole;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Serilog from the "Serilog" configuration section. When the section names no sink, the console: readable lines
/// (`--log-format text`, the default) or compact JSON, one event per line (`--log-format json`, Serilog.Formatting.Compact,
/// for Loki, Elasticsearch, Seq...). While the live console is on screen the lines go to its events panel instead
/// (<see cref="ConsoleLogCapture"/>), so they never tear the display. The start-up failures the host reports itself
/// in one line are not logged again with their stack trace. Control characters in logged values are escaped
/// (<see cref="ControlCharacterEscaping"/>), so a client cannot forge log lines.
/// </summary>
internal static class LoggingSetup
{
    public const string FormatKey = "Log:Format";

    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration, ConsoleLogCapture capture)
    {
        var loggerConfiguration = new LoggerConfiguration()
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration)
            .Enrich.With<ControlCharacterEscaping>() // after the configured enrichers: it sees their values too
            .Filter.ByExcluding(e => StartupFailure.IsReportedByHost(SourceContext(e), e.Exception));

        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            var json = string.Equals(configuration[FormatKey], "json", StringComparison.OrdinalIgnoreCase);
            loggerConfiguration.WriteTo.Logger(console =>
            {
                console.Filter.ByExcluding(_ => capture.IsCapturing);
                if (json)
                {
                    console.WriteTo.Console(new CompactJsonFormatter());
                }
                else
                {
                    console.WriteTo.Console(outputTemplate: TextTemplate);
                }
            });
            loggerConfiguration.WriteTo.Sink(capture);
        }

        return loggerConfiguration.CreateLogger();
    }

    private static string? SourceContext(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var value) && value is ScalarValue { Value: string name } ? name : null;
}

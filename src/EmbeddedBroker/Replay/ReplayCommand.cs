using System.Globalization;
using EmbeddedBroker.Cli;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace EmbeddedBroker.Replay;

/// <summary>
/// `EmbeddedBroker replay SOURCE [--broker HOST] [--port N] [--speed 1|10|max] ...`: reads the "Replay" section the
/// command line (or the environment, e.g. Replay__Password) sets and hands it to <see cref="ReplayRunner"/>. The
/// values were checked by the parser (<see cref="OptionValueChecks"/>); Ctrl+C stops the replay with its summary.
/// </summary>
public static class ReplayCommand
{
    public static async Task<int> RunAsync(ParsedCommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var configuration = new ConfigurationManager();
        ConfigurationSetup.Apply(configuration, commandLine);
        var options = ReadOptions(configuration.GetSection("Replay"));

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await new ReplayRunner(Terminal()).RunAsync(options, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Spectre's console, except that redirected output (a script, a log) is not wrapped at 80 columns: the
    /// summary stays one line a script can match.</summary>
    private static IAnsiConsole Terminal()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    internal static ReplayOptions ReadOptions(IConfigurationSection section)
    {
        var defaults = new ReplayOptions { Source = "" };
        return new ReplayOptions
        {
            Source = section["Source"] ?? "",
            Host = section["Host"] ?? defaults.Host,
            Port = section["Port"] is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : defaults.Port,
            Speed = ReplayOptions.TryParseSpeed(section["Speed"], out var speed) ? speed : defaults.Speed,
            From = Timestamp(section["From"]),
            To = Timestamp(section["To"]),
            TopicFilter = section["TopicFilter"],
            Qos = section["Qos"] is { } qos ? (MqttQualityOfService)int.Parse(qos, CultureInfo.InvariantCulture) : null,
            Retain = section["Retain"] == "drop" ? ReplayRetain.Drop : ReplayRetain.Keep,
            ClientId = section["ClientId"] ?? defaults.ClientId,
            Username = section["Username"],
            Password = section["Password"],
            Progress = !string.Equals(section["Progress"], "false", StringComparison.OrdinalIgnoreCase) && !Console.IsOutputRedirected,
        };
    }

    private static DateTimeOffset? Timestamp(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);
}

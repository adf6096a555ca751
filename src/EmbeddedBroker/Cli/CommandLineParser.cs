using System.Globalization;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Options;

namespace EmbeddedBroker.Cli;

/// <summary>
/// Parses `EmbeddedBroker [record|healthcheck] [options]` against <see cref="CliCatalog"/>. Options may be written
/// `--port 1884` or `--port=1884`. Any configuration key can also be set as `--Section:Key value` (the host's own
/// syntax, e.g. `--Recorder:FlushIntervalMs 200`). Everything else is an error that names the option and the fix.
/// </summary>
public static class CommandLineParser
{
    private static readonly string[] HelpNames = ["-h", "--help", "-?"];

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var lists = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var showHelp = false;
        var showVersion = false;
        string? configFile = null;

        var index = 0;
        var command = CliCommand.Serve;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            if (!TryParseCommand(args[0], out command, out var helpRequested))
            {
                errors.Add($"Unknown command '{args[0]}': use 'record' (record from another broker), 'healthcheck', or no command to run the broker.");
            }

            showHelp |= helpRequested;
            index = 1;
        }

        var options = CliCatalog.For(command);
        for (; index < args.Count; index++)
        {
            var token = args[index];
            if (HelpNames.Contains(token, StringComparer.Ordinal))
            {
                showHelp = true;
                continue;
            }

            if (token == "--version")
            {
                showVersion = true;
                continue;
            }

            SplitInlineValue(token, out var name, out var inlineValue);
            var option = options.FirstOrDefault(o => o.Names.Contains(name, StringComparer.Ordinal));
            string? configKey = option?.ConfigKey;
            if (option is null && command == CliCommand.Serve && CommandLineSwitches.Mappings.TryGetValue(name, out var mapped))
            {
                configKey = mapped; // A switch another part of the app registered (checked by its own options validator).
            }
            else if (option is null && name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal))
            {
                configKey = name[2..]; // `--Section:Key value`: any configuration key, checked by that section's validator.
            }

            if (configKey is null)
            {
                errors.Add(UnknownOption(token, command, options));
                if (token.StartsWith('-') && inlineValue is null && index + 1 < args.Count && !LooksLikeOption(args[index + 1]))
                {
                    index++; // `--prot 1884`: the word after an unknown option is its value, not a second error.
                }

                continue;
            }

            if (option is { TakesValue: false })
            {
                if (inlineValue is not null)
                {
                    errors.Add($"{name} takes no value: write {name} alone (remove '={inlineValue}').");
                    continue;
                }

                overrides[option.ConfigKey] = option.FlagValue;
                continue;
            }

            var value = inlineValue;
            if (value is null)
            {
                if (index + 1 >= args.Count || LooksLikeOption(args[index + 1]))
                {
                    errors.Add($"{name} needs a value, e.g. {name} {Example(option)}.");
                    continue;
                }

                value = args[++index];
            }

            if (option is null)
            {
                overrides[configKey] = value;
                continue;
            }

            var problem = Validate(option, name, value);
            if (problem is not null)
            {
                errors.Add(problem);
            }
            else if (option.IsList)
            {
                var list = lists.TryGetValue(option.ConfigKey, out var existing) ? existing : lists[option.ConfigKey] = [];
                list.AddRange(SplitList(value));
            }
            else if (option.ConfigKey == CliCatalog.ConfigFileKey)
            {
                configFile = value;
            }
            else
            {
                overrides[option.ConfigKey] = value;
            }
        }

        foreach (var (key, values) in lists)
        {
            for (var i = 0; i < values.Count; i++)
            {
                overrides[$"{key}:{i}"] = values[i];
            }
        }

        return new ParsedCommandLine
        {
            Command = command,
            ShowHelp = showHelp,
            ShowVersion = showVersion,
            Errors = errors,
            ConfigFile = configFile,
            Overrides = overrides,
            ReplacedSections = [.. lists.Keys],
        };
    }

    private static bool TryParseCommand(string word, out CliCommand command, out bool helpRequested)
    {
        helpRequested = false;
        switch (word.ToLowerInvariant())
        {
            case "record":
                command = CliCommand.Record;
                return true;
            case "healthcheck":
                command = CliCommand.HealthCheck;
                return true;
            case "help":
                command = CliCommand.Serve;
                helpRequested = true;
                return true;
            default:
                command = CliCommand.Serve;
                return false;
        }
    }

    private static void SplitInlineValue(string token, out string name, out string? value)
    {
        var equals = token.StartsWith("--", StringComparison.Ordinal) ? token.IndexOf('=', StringComparison.Ordinal) : -1;
        name = equals < 0 ? token : token[..equals];
        value = equals < 0 ? null : token[(equals + 1)..];
    }

    /// <summary>A value never starts with '-' followed by a letter; "-5" is a (bad) number, not an option.</summary>
    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);

    private static string? Validate(CliOption option, string name, string value)
    {
        switch (option.Kind)
        {
            case CliValueKind.Port:
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                    ? null
                    : $"{name} '{value}' is not a TCP port: use a number from 1 to 65535, e.g. {name} 1883 (0 = any free port).";
            case CliValueKind.Format:
                return RecordFormatParser.TryParse(value, out _)
                    ? null
                    : $"{name} '{value}' is not valid: use csv, json, jsonl or both (or a comma list such as csv,jsonl).";
            case CliValueKind.TopicFilter:
                var bad = SplitList(value).FirstOrDefault(f => !MqttTopic.IsValidTopicFilter(f));
                return SplitList(value).Count == 0
                    ? $"{name} needs a topic filter, e.g. {name} sensors/#."
                    : bad is null
                        ? null
                        : $"{name} '{bad}' is not a valid topic filter: use levels separated by '/', '+' for one whole level and '#' only as the last level, e.g. sensors/# or sensors/+/temperature.";
            case CliValueKind.Seconds:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400
                    ? null
                    : $"{name} '{value}' is not valid: use a number of seconds greater than 0 (at most 86400), e.g. {name} 5 or {name} 0.5.";
            case CliValueKind.ShareGroup:
                return value.Length > 0 && value.IndexOfAny(['/', '+', '#', '\0']) < 0
                    ? null
                    : $"{name} '{value}' is not a share group name: use a word without '/', '+' or '#', e.g. {name} recorders.";
            default:
                return string.IsNullOrWhiteSpace(value) ? $"{name} needs a value, e.g. {name} {Example(option)}." : null;
        }
    }

    private static List<string> SplitList(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Example(CliOption? option) => option?.Kind switch
    {
        CliValueKind.Port => "1883",
        CliValueKind.Format => "both",
        CliValueKind.TopicFilter => "sensors/#",
        CliValueKind.Seconds => "5",
        CliValueKind.ShareGroup => "recorders",
        _ when option?.ConfigKey == "Recorder:Output" => "exports/mqtt_data",
        _ when option?.ConfigKey == CliCatalog.ConfigFileKey => "config/my-settings.json",
        _ when option?.ConfigKey == "Record:Host" => "localhost",
        _ => option?.ValueName is { Length: > 0 } valueName ? valueName : "VALUE",
    };

    private static string UnknownOption(string token, CliCommand command, IReadOnlyList<CliOption> options)
    {
        var where = command == CliCommand.Serve ? "" : $" for '{CliCatalog.CommandName(command)}'";
        if (!token.StartsWith('-'))
        {
            return $"Unexpected argument '{token}'{where}: options start with '-' (e.g. --port 1883); see --help.";
        }

        SplitInlineValue(token, out var name, out _);
        var suggestion = options.SelectMany(o => o.Names)
            .Select(candidate => (candidate, distance: EditDistance(name, candidate)))
            .Where(c => c.distance <= 2)
            .OrderBy(c => c.distance)
            .Select(c => c.candidate)
            .FirstOrDefault();
        if (suggestion is null && command == CliCommand.Serve && CliCatalog.Record.Any(o => o.Names.Contains(name, StringComparer.Ordinal)))
        {
            return $"Unknown option '{name}': it belongs to the 'record' command, e.g. EmbeddedBroker record {name} ...; see --help.";
        }

        return suggestion is null
            ? $"Unknown option '{name}'{where}: see --help for the list (any configuration key can be set as --Section:Key value)."
            : $"Unknown option '{name}'{where}: did you mean {suggestion}? See --help.";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

using System.Globalization;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Replay;

namespace EmbeddedBroker.Cli;

/// <summary>
/// The value checks of <see cref="CliValueKind"/>: each problem is one sentence naming the option as typed and the fix,
/// so a typo stops start-up before anything listens. System.CommandLine calls them as option validators.
/// </summary>
internal static class OptionValueChecks
{
    public static string? Problem(CliOption option, string name, string value)
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
                    : $"{name} '{value}' is not valid: use {RecordFormatParser.Accepted}.";
            case CliValueKind.TopicFilter:
                var filters = SplitList(value);
                var bad = filters.FirstOrDefault(f => !MqttTopic.IsValidTopicFilter(f));
                return filters.Count == 0
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
            case CliValueKind.LogFormat:
                return value is "text" or "json" ? null : $"{name} '{value}' is not valid: use text (the default) or json.";
            case CliValueKind.Speed:
                return ReplayOptions.TryParseSpeed(value, out _)
                    ? null
                    : $"{name} '{value}' is not valid: use a speed factor greater than 0 (1 = as recorded, 10 = ten times faster) or max.";
            case CliValueKind.Timestamp:
                return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out _)
                    ? null
                    : $"{name} '{value}' is not a date and time: use ISO 8601, e.g. {name} 2026-12-01T10:00:00Z.";
            case CliValueKind.Qos:
                return value is "0" or "1" or "2" ? null : $"{name} '{value}' is not a QoS: use 0, 1 or 2.";
            case CliValueKind.RetainMode:
                return value is "keep" or "drop" ? null : $"{name} '{value}' is not valid: use keep (publish retained messages as retained) or drop.";
            default:
                return string.IsNullOrWhiteSpace(value) ? Missing(option, name) : null;
        }
    }

    public static string Missing(CliOption option, string name) => $"{name} needs a value, e.g. {name} {Example(option)}.";

    public static List<string> SplitList(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Example(CliOption option) => option.Kind switch
    {
        CliValueKind.Port => "1883",
        CliValueKind.Format => "both",
        CliValueKind.TopicFilter => "sensors/#",
        CliValueKind.Seconds => "5",
        CliValueKind.ShareGroup => "recorders",
        CliValueKind.LogFormat => "json",
        CliValueKind.Speed => "10",
        CliValueKind.Timestamp => "2026-12-01T10:00:00Z",
        CliValueKind.Qos => "1",
        CliValueKind.RetainMode => "drop",
        _ when option.ConfigKey == "Recorder:Output" => "exports/mqtt_data",
        _ when option.ConfigKey == CliCatalog.ConfigFileKey => "config/my-settings.json",
        _ when option.ConfigKey == "Record:Host" => "localhost",
        _ => option.ValueName is { Length: > 0 } valueName ? valueName : "VALUE",
    };
}

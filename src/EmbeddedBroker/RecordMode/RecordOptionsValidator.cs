using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.RecordMode;

internal sealed class RecordOptionsValidator : IValidateOptions<RecordOptions>
{
    private const string Section = RecordOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RecordOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add($"{Section}:Host is empty: give the broker to record from, e.g. --broker localhost.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{Section}:Port {options.Port} is not a TCP port: use 1..65535, e.g. --port 1883.");
        }

        for (var i = 0; i < options.Topics.Count; i++)
        {
            if (!MqttTopic.IsValidTopicFilter(options.Topics[i]))
            {
                failures.Add($"{Section}:Topics:{i} '{options.Topics[i]}' is not a valid topic filter: e.g. --topic sensors/# or --topic sensors/+/temperature.");
            }
        }

        if (!string.IsNullOrEmpty(options.ShareGroup) && options.ShareGroup.IndexOfAny(['/', '+', '#', '\0']) >= 0)
        {
            failures.Add($"{Section}:ShareGroup '{options.ShareGroup}' is not a share group name: use a word without '/', '+' or '#', e.g. --share recorders.");
        }

        if (options.Qos is < 0 or > 2)
        {
            failures.Add($"{Section}:Qos {options.Qos} is not valid: use 0, 1 or 2.");
        }

        if (!TryParseVersion(options.ProtocolVersion, out _))
        {
            failures.Add($"{Section}:ProtocolVersion '{options.ProtocolVersion}' is not valid: use 3.1.1 or 5 (or leave it empty).");
        }

        if (!options.CleanSession && string.IsNullOrEmpty(options.ClientId))
        {
            failures.Add($"{Section}:CleanSession false needs a fixed client id so the broker finds the session again: add --client-id NAME.");
        }

        if (options.KeepAliveSeconds is < 0 or > 65535)
        {
            failures.Add($"{Section}:KeepAliveSeconds {options.KeepAliveSeconds} is not valid: use 0..65535 (default 30).");
        }

        if (!(options.MaxReconnectDelaySeconds >= 1 && options.MaxReconnectDelaySeconds <= 3600))
        {
            failures.Add($"{Section}:MaxReconnectDelaySeconds {options.MaxReconnectDelaySeconds} is not valid: use 1..3600 (default 30).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Empty means "pick" (null); otherwise 3.1.1 / 4 or 5 / 5.0.</summary>
    public static bool TryParseVersion(string? text, out MqttProtocolVersion? version)
    {
        version = null;
        switch (text?.Trim())
        {
            case null or "":
                return true;
            case "3.1.1" or "4" or "311":
                version = MqttProtocolVersion.V311;
                return true;
            case "5" or "5.0" or "500":
                version = MqttProtocolVersion.V500;
                return true;
            default:
                return false;
        }
    }
}

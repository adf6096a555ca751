using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Bridges.Options;

/// <summary>Checks every bridge at start; each failure names its key (Bridges:{i}:...) and the fix, in one line.</summary>
public sealed class BridgeOptionsValidator : IValidateOptions<BridgesOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Items.Count; i++)
        {
            Check(options.Items[i], $"{BridgesOptions.SectionName}:{i}", failures);
        }

        Unique(options.Items.Select(b => b.Name), "Name", "give each bridge its own name", failures);
        Unique(options.Items.Select(b => QueueFileName.For(b.Name)), "Name", "two names that differ only in characters a file name cannot hold share a queue file: rename one", failures);
        Unique(options.Items.Select(b => b.EffectiveLocalClientId), "LocalClientId", "give each bridge its own local client id", failures);
        if (options.Synchronous is not ("normal" or "full"))
        {
            failures.Add($"{BridgesOptions.SectionName}: synchronous mode '{options.Synchronous}' is not normal or full.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(BridgeOptions bridge, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(bridge.Name) || bridge.Name.Any(char.IsWhiteSpace))
        {
            failures.Add($"{key}:Name: '{bridge.Name}' is not a bridge name: give one word, e.g. central (Mosquitto's `connection central`).");
        }

        if (bridge.Addresses.Count == 0)
        {
            failures.Add($"{key}:Addresses: no address: add one, e.g. \"broker.example.com:1883\".");
        }

        for (var i = 0; i < bridge.Addresses.Count; i++)
        {
            if (!BridgeAddress.TryParse(bridge.Addresses[i], out _))
            {
                failures.Add($"{key}:Addresses:{i}: '{bridge.Addresses[i]}' is not HOST[:PORT]: write e.g. broker.example.com:1883 or [::1]:1883.");
            }
        }

        if (bridge.Topics.Count == 0)
        {
            failures.Add($"{key}:Topics: no topic: add at least one, e.g. {{ \"Pattern\": \"sensors/#\", \"Direction\": \"out\", \"Qos\": 1 }}.");
        }

        for (var i = 0; i < bridge.Topics.Count; i++)
        {
            CheckTopic(bridge.Topics[i], $"{key}:Topics:{i}", failures);
        }

        if (bridge.RemotePassword is not null && bridge.RemoteUsername is null)
        {
            failures.Add($"{key}:RemotePassword: a password without RemoteUsername: add the user name.");
        }

        if (bridge.ProtocolVersion is not ("3.1.1" or "5"))
        {
            failures.Add($"{key}:ProtocolVersion: '{bridge.ProtocolVersion}' is not 3.1.1 or 5.");
        }

        if (bridge.KeepAlive is < 5 or > ushort.MaxValue)
        {
            failures.Add($"{key}:KeepAlive: {bridge.KeepAlive} s is outside 5..65535 seconds.");
        }

        if (bridge.RestartTimeout is < 1 || bridge.RestartTimeoutMax is < 1)
        {
            failures.Add($"{key}:RestartTimeout: below 1 s: give whole seconds >= 1.");
        }
        else if (bridge.RestartTimeoutMax is { } cap && cap < (bridge.RestartTimeout ?? cap))
        {
            failures.Add($"{key}:RestartTimeoutMax: the cap {cap} s is below the base {bridge.RestartTimeout} s.");
        }

        if (bridge.NotificationTopic is { } topic && !MqttTopic.IsValidTopicName(topic))
        {
            failures.Add($"{key}:NotificationTopic: '{topic}' is not a topic name (no + or #).");
        }

        if (bridge.MaxInflight is < 1 or > ushort.MaxValue)
        {
            failures.Add($"{key}:MaxInflight: {bridge.MaxInflight} is outside 1..65535.");
        }

        if (bridge.Queue.MaxMessages < 1 || bridge.Queue.MaxBytes < 1024)
        {
            failures.Add($"{key}:Queue: MaxMessages must be >= 1 and MaxBytes >= 1024.");
        }

        CheckTls(bridge.Tls, $"{key}:Tls", failures);
    }

    private static void CheckTopic(BridgeTopicOptions topic, string key, List<string> failures)
    {
        if (topic.Pattern.Length > 0 && !MqttTopic.IsValidTopicFilter(topic.Pattern))
        {
            failures.Add($"{key}:Pattern: '{topic.Pattern}' is not a topic filter: use e.g. sensors/# or site/+/temperature.");
        }

        if (topic.Pattern.Length == 0 && (topic.LocalPrefix is null || topic.RemotePrefix is null))
        {
            failures.Add($"{key}:Pattern: an empty pattern needs both LocalPrefix and RemotePrefix (it maps one topic to another).");
        }

        if (topic.Direction is not ("in" or "out" or "both"))
        {
            failures.Add($"{key}:Direction: '{topic.Direction}' is not in, out or both.");
        }

        if (topic.Qos is < 0 or > 2)
        {
            failures.Add($"{key}:Qos: {topic.Qos} is not 0, 1 or 2.");
        }

        foreach (var (prefix, side) in new[] { (topic.LocalPrefix, "LocalPrefix"), (topic.RemotePrefix, "RemotePrefix") })
        {
            if (prefix is { Length: > 0 } && !MqttTopic.IsValidTopicName(prefix))
            {
                failures.Add($"{key}:{side}: '{prefix}' is not a topic prefix (no + or #), e.g. site-a/.");
            }
        }
    }

    private static void CheckTls(BridgeTlsOptions tls, string key, List<string> failures)
    {
        if ((tls.CertFile is null) != (tls.KeyFile is null))
        {
            failures.Add($"{key}: a client certificate needs both CertFile and KeyFile.");
        }

        if (!tls.Enabled && (tls.CertFile is not null || tls.Insecure))
        {
            failures.Add($"{key}:CaFile: TLS settings without CaFile: add the CA that signed the remote broker's certificate.");
        }

        foreach (var (path, option) in new[] { (tls.CaFile, "CaFile"), (tls.CertFile, "CertFile"), (tls.KeyFile, "KeyFile") })
        {
            if (path is not null && !File.Exists(path))
            {
                failures.Add($"{key}:{option}: '{Path.GetFullPath(path)}' does not exist.");
            }
        }
    }

    private static void Unique(IEnumerable<string> values, string option, string fix, List<string> failures)
    {
        foreach (var duplicate in values.Where(v => v.Length > 0).GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{BridgesOptions.SectionName}: {option} '{duplicate.Key}' is used by {duplicate.Count()} bridges: {fix}.");
        }
    }
}

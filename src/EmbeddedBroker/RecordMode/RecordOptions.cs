namespace EmbeddedBroker.RecordMode;

/// <summary>Section "Record": the `record` command, which records another broker's messages as one of its clients.</summary>
public sealed class RecordOptions
{
    public const string SectionName = "Record";

    public static IReadOnlyList<string> DefaultTopics { get; } = ["sensors/#"];

    /// <summary>--broker.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>--port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>--topic; empty means sensors/# (what the seed scripts subscribed to).</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>--share: subscribe as $share/&lt;group&gt;/&lt;filter&gt; so recorders in the same group split the messages.</summary>
    public string? ShareGroup { get; set; }

    /// <summary>--client-id; empty generates "embeddedbroker-record-xxxxxxxx".</summary>
    public string? ClientId { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Maximum QoS asked for in SUBSCRIBE (default 1: the broker re-sends what we did not acknowledge).</summary>
    public int Qos { get; set; } = 1;

    /// <summary>"3.1.1" or "5"; empty picks 5 with --share (shared subscriptions are an MQTT 5 feature) and 3.1.1 otherwise.</summary>
    public string? ProtocolVersion { get; set; }

    /// <summary>False keeps our session (subscriptions and QoS 1 messages) on the broker while we reconnect; needs a fixed ClientId.</summary>
    public bool CleanSession { get; set; } = true;

    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Reconnect delays double from 1 s up to this.</summary>
    public double MaxReconnectDelaySeconds { get; set; } = 30;

    public IReadOnlyList<string> EffectiveTopics => Topics.Count > 0 ? Topics : DefaultTopics;

    /// <summary>The filters as sent in SUBSCRIBE.</summary>
    public IReadOnlyList<string> SubscriptionFilters =>
        string.IsNullOrEmpty(ShareGroup) ? EffectiveTopics : [.. EffectiveTopics.Select(t => $"$share/{ShareGroup}/{t}")];
}

namespace EmbeddedBroker.Bridges.Options;

/// <summary>
/// Mosquitto's <c>topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX]</c>: the local topics are
/// LOCAL_PREFIX + PATTERN, the remote ones REMOTE_PREFIX + PATTERN; an empty pattern maps exactly the topic
/// LOCAL_PREFIX to the topic REMOTE_PREFIX.
/// </summary>
public sealed record BridgeTopicOptions
{
    public string Pattern { get; init; } = "";

    /// <summary>"out" (local to remote, Mosquitto's default), "in" (remote to local) or "both".</summary>
    public string Direction { get; init; } = "out";

    /// <summary>The highest QoS bridged: out, a message goes at the lower of its QoS and this; in, the remote
    /// subscription asks for this.</summary>
    public int Qos { get; init; }

    public string? LocalPrefix { get; init; }

    public string? RemotePrefix { get; init; }

    public bool IsOut => Direction is "out" or "both";

    public bool IsIn => Direction is "in" or "both";
}

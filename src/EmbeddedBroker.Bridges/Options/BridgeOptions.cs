namespace EmbeddedBroker.Bridges.Options;

/// <summary>
/// One bridge, one entry of the configuration section "Bridges" (a list): what a mosquitto.conf <c>connection NAME</c>
/// block says, with Mosquitto's defaults (docs/bridges.md). Checked at start by <see cref="BridgeOptionsValidator"/>.
/// </summary>
public sealed record BridgeOptions
{
    /// <summary>Mosquitto's <c>connection NAME</c>: names the bridge in logs, $SYS, /metrics and its queue file.</summary>
    public string Name { get; init; } = "";

    /// <summary>"host:port" ("[::1]:1883" for IPv6; port 1883 when left out). The first is the primary; on failure the
    /// next is tried, and after a fail-over the primary is tried again at each reconnection.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>Mosquitto's <c>topic</c> lines.</summary>
    public IReadOnlyList<BridgeTopicOptions> Topics { get; init; } = [];

    public string? RemoteUsername { get; init; }

    public string? RemotePassword { get; init; }

    /// <summary>The client id on the remote broker; default "HOSTNAME.NAME", as Mosquitto.</summary>
    public string? RemoteClientId { get; init; }

    /// <summary>The client id the bridge's messages carry in the local broker (ACLs, No Local); default "local." +
    /// the remote client id, as Mosquitto.</summary>
    public string? LocalClientId { get; init; }

    /// <summary>Mosquitto's <c>cleansession</c>: false keeps the bridge's session and subscriptions on the remote broker
    /// while it is away, so messages for "in" topics wait there.</summary>
    public bool CleanSession { get; init; }

    /// <summary>"3.1.1" (Mosquitto's default, mqttv311) or "5" (mqttv50).</summary>
    public string ProtocolVersion { get; init; } = "3.1.1";

    /// <summary>Mosquitto's <c>try_private</c>: tell a 3.1.1 remote that this client is a bridge (protocol level 0x84), so
    /// it does not echo the bridge's own messages and keeps their retain flag. A remote that refuses it is connected to
    /// again without it.</summary>
    public bool TryPrivate { get; init; } = true;

    /// <summary>Publish the bridge's state ("1" connected, "0" not) retained on <see cref="NotificationTopic"/>, locally
    /// and on the remote broker (there as the bridge's will too).</summary>
    public bool Notifications { get; init; } = true;

    /// <summary>Default "$SYS/broker/connection/" + the remote client id + "/state", as Mosquitto.</summary>
    public string? NotificationTopic { get; init; }

    /// <summary>Keep-alive towards the remote broker, seconds (Mosquitto: 60; 5..65535).</summary>
    public int KeepAlive { get; init; } = 60;

    /// <summary>Mosquitto's <c>restart_timeout</c>: with only this, a constant delay between connection attempts
    /// (seconds); with <see cref="RestartTimeoutMax"/> too, the base of a jittered back-off up to it. Neither: back-off
    /// from 5 to 30 s, as Mosquitto.</summary>
    public int? RestartTimeout { get; init; }

    public int? RestartTimeoutMax { get; init; }

    public BridgeTlsOptions Tls { get; init; } = new();

    /// <summary>The out-queue: messages waiting for the remote broker's acknowledgement.</summary>
    public BridgeQueueOptions Queue { get; init; } = new();

    /// <summary>QoS 1/2 messages sent and not yet acknowledged, at most (Mosquitto's max_inflight_messages, 20): the
    /// most a remote outage can make the bridge send twice.</summary>
    public int MaxInflight { get; init; } = 20;

    public const string DefaultNotificationTopicPrefix = "$SYS/broker/connection/";

    public string EffectiveRemoteClientId => RemoteClientId ?? $"{Environment.MachineName}.{Name}";

    public string EffectiveLocalClientId => LocalClientId ?? $"local.{EffectiveRemoteClientId}";

    public string EffectiveNotificationTopic => NotificationTopic ?? $"{DefaultNotificationTopicPrefix}{EffectiveRemoteClientId}/state";
}

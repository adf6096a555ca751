using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker;

/// <summary>
/// What this broker offers its clients, in one place: CONNACK announces it to MQTT 5 clients
/// (<see cref="ToConnAckProperties"/>) and the packet handlers enforce the very same values, for every protocol
/// version. Bound from the configuration section "Broker:Capabilities".
/// </summary>
public sealed record MqttCapabilities
{
    /// <summary>Largest MQTT packet, fixed header included, that a client may send. The protocol allows 268 435 460
    /// bytes; 1 MiB is a sane default for sensors, dashboards and pictures. Larger packets close the connection
    /// (DISCONNECT 0x95 for MQTT 5, whose clients are told the limit in CONNACK, MQTT-3.2.2-15).</summary>
    public int MaximumPacketSize { get; init; } = 1_048_576;

    /// <summary>Highest QoS a client may publish with and be granted (MQTT-3.2.2-9..12). A subscription asking for more
    /// is granted this; a PUBLISH above it closes the connection (MQTT 5: DISCONNECT 0x9B).</summary>
    public MqttQualityOfService MaximumQos { get; init; } = MqttQualityOfService.ExactlyOnce;

    /// <summary>Whether retained messages are kept (MQTT-3.2.2-13/14). When false a PUBLISH with RETAIN=1 closes the
    /// connection (MQTT 5: DISCONNECT 0x9A). Mosquitto's <c>retain_available</c>.</summary>
    public bool RetainAvailable { get; init; } = true;

    /// <summary>Whether topic filters may contain '+' and '#' (MQTT 5 3.2.2.3.11); refused filters get SUBACK 0xA2
    /// (3.1.1: 0x80).</summary>
    public bool WildcardSubscriptionAvailable { get; init; } = true;

    /// <summary>Whether <c>$share/{group}/{filter}</c> subscriptions are served (MQTT 5 4.8.2; accepted from 3.1.1
    /// clients too, as Mosquitto and EMQX do). When false they are refused with SUBACK 0x9E.</summary>
    public bool SharedSubscriptionAvailable { get; init; } = true;

    /// <summary>Whether SUBSCRIBE may carry a Subscription Identifier (MQTT 5 3.8.2.1.2), sent back with every matching
    /// PUBLISH. When false a SUBSCRIBE with one closes the connection with DISCONNECT 0xA1.</summary>
    public bool SubscriptionIdentifiersAvailable { get; init; } = true;

    /// <summary>Topic aliases a client may set up towards the broker (MQTT-3.2.2-17, 3.3.2-8; Mosquitto's
    /// max_topic_alias, default 10); 0 = none, and any PUBLISH with a Topic Alias closes the connection with DISCONNECT 0x94.</summary>
    public ushort TopicAliasMaximum { get; init; } = 10;

    /// <summary>QoS 1 and 2 publications an MQTT 5 client may have unanswered at once (Receive Maximum, 3.2.2.3.3);
    /// one more gets DISCONNECT 0x93 (MQTT-3.3.4-7).</summary>
    public ushort ReceiveMaximum { get; init; } = 1024;

    /// <summary>When set, MQTT 5 clients are told this keep-alive in CONNACK (Server Keep Alive, MQTT-3.2.2-21) and
    /// the broker enforces it. MQTT 3.x has no way to tell the client, so their own keep-alive is kept.</summary>
    public TimeSpan? ServerKeepAlive { get; init; }

    /// <summary>
    /// The capability properties of an accepting CONNACK (MQTT 5 3.2.2.3): only the values that differ from what a
    /// client assumes when a property is absent are sent (absent Maximum QoS means 2, absent Retain Available, Wildcard,
    /// Subscription Identifier and Shared Subscription Available mean 1, absent Topic Alias Maximum means 0).
    /// </summary>
    public MqttProperties ToConnAckProperties(string? assignedClientIdentifier, uint? sessionExpiryInterval) => new()
    {
        AssignedClientIdentifier = assignedClientIdentifier,
        SessionExpiryInterval = sessionExpiryInterval,
        ServerKeepAlive = ServerKeepAliveSeconds,
        MaximumPacketSize = (uint)MaximumPacketSize,
        MaximumQos = MaximumQos < MqttQualityOfService.ExactlyOnce ? (byte)MaximumQos : null,
        RetainAvailable = RetainAvailable ? null : (byte)0,
        WildcardSubscriptionAvailable = WildcardSubscriptionAvailable ? null : (byte)0,
        SharedSubscriptionAvailable = SharedSubscriptionAvailable ? null : (byte)0,
        SubscriptionIdentifiersAvailable = SubscriptionIdentifiersAvailable ? null : (byte)0,
        TopicAliasMaximum = TopicAliasMaximum > 0 ? TopicAliasMaximum : null,
        ReceiveMaximum = ReceiveMaximum < ushort.MaxValue ? ReceiveMaximum : null,
    };

    /// <summary>The Server Keep Alive in seconds, or null when clients keep their own.</summary>
    public ushort? ServerKeepAliveSeconds => ServerKeepAlive is { } keepAlive ? (ushort)keepAlive.TotalSeconds : null;

    /// <summary>The QoS granted for a subscription that asked for <paramref name="requested"/> (MQTT-3.8.4-6 allows less).</summary>
    public MqttQualityOfService GrantedQos(MqttQualityOfService requested) => requested < MaximumQos ? requested : MaximumQos;
}

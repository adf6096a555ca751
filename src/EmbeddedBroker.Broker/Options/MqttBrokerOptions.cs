namespace EmbeddedBroker.Broker;

/// <summary>
/// Every limit of the broker, and (in <see cref="Capabilities"/> and <see cref="Compatibilities"/>) what it announces to
/// clients and every deliberate deviation from the MQTT specifications, in one place.
/// Bound from the configuration section "Broker" (see <see cref="SectionName"/>); validated at start by
/// <c>MqttBrokerOptionsValidator</c>.
/// </summary>
public sealed record MqttBrokerOptions
{
    public const string SectionName = "Broker";

    /// <summary>What the broker offers clients (packet size, QoS, retain, wildcards, aliases, keep-alive): announced
    /// in CONNACK and enforced by the handlers from this one record.</summary>
    public MqttCapabilities Capabilities { get; init; } = new();

    /// <summary>The deliberate deviations from the specifications, each a named flag.</summary>
    public MqttCompatibilities Compatibilities { get; init; } = new();

    /// <summary>A network connection that has not sent a complete CONNECT within this time is closed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages waiting for one client (online but slow, or offline with a persistent session).
    /// Beyond it new messages for that client are dropped and counted in <see cref="BrokerStatistics.MessagesDroppedQueueFull"/>.</summary>
    public int MaximumQueuedMessagesPerClient { get; init; } = 1000;

    /// <summary>Bytes of messages held for one client, queued and in flight (Mosquitto's <c>max_queued_bytes</c>): beyond
    /// it new messages for that client are dropped and counted like a full queue, so that one offline or slow client
    /// cannot hold the broker's memory. Retained messages sent on subscribe are not counted (they are held by the
    /// retained store anyway).</summary>
    public long MaximumQueuedBytesPerClient { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bytes the broker may hold for all clients together: queued and in-flight messages and partial packets.
    /// Null (default) takes half of what the process may use, a container's memory limit included. Beyond it the broker
    /// refuses work instead of growing: publishes of at least <see cref="LargeMessageBytes"/> are refused (MQTT 5:
    /// acknowledged with 0x97 Quota exceeded; 3.1.1 and MQTT 5 QoS 0: the connection is closed), QoS 0 messages are not
    /// queued behind others, and a connection still receiving a packet that large is closed. Counted in
    /// <see cref="BrokerStatistics"/>, reported once per interval.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>What counts as a large publish for <see cref="MemoryLimitBytes"/>.</summary>
    public int LargeMessageBytes { get; init; } = 64 * 1024;

    /// <summary>A packet that has started to arrive must be complete within this time, or the connection is closed: a client
    /// cannot hold a large buffer of the broker's by sending a packet very slowly (keep-alive does not cover it, since
    /// keep-alive counts complete packets only).</summary>
    public TimeSpan PartialPacketTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Topic aliases the broker sets up towards each MQTT 5 client (at most the client's own Topic Alias Maximum):
    /// the first topics sent to it get one and later messages on them go with an empty topic. 0 turns them off.</summary>
    public int OutboundTopicAliasesPerClient { get; init; } = 64;

    /// <summary>When a publisher's message (or an acknowledgement) finds a connection's writer idle, write it on the
    /// publisher's thread at once instead of waking a thread-pool thread for it (one level of inlining only). Off by
    /// default: measured with bench/compare.sh (2 cores, 2026-12-01) it saves nothing measurable at 1,000 msg/s, and
    /// at saturation it serialises a fan-out on the publisher's thread: fan-out 1 -> 8 at QoS 0 delivered 1.01 M msg/s
    /// with it against 1.86 M without.</summary>
    public bool InlineWrites { get; init; }

    /// <summary>How a shared subscription's group picks the member that gets a message: round robin over the online
    /// members (default), or the online member with the fewest queued messages.</summary>
    public SharedSubscriptionPolicy SharedSubscriptionPolicy { get; init; } = SharedSubscriptionPolicy.RoundRobin;

    /// <summary>Back-pressure on publishers (high-water mark), in percent of <see cref="MaximumQueuedMessagesPerClient"/>.
    /// When a client's PUBLISH leaves an online subscriber's queue at or above this mark, the publishing connection stops
    /// reading from its socket until that queue is back under <see cref="BackpressureLowWaterPercent"/>: TCP flow control
    /// then slows the publisher to the subscriber's pace instead of the broker accepting messages it must drop later.</summary>
    public int BackpressureHighWaterPercent { get; init; } = 50;

    /// <summary>Low-water mark, in percent of <see cref="MaximumQueuedMessagesPerClient"/>: a throttled publisher resumes
    /// reading once the subscriber's queue holds no more than this. Below the high-water mark so that a resumed publisher
    /// has room to publish a batch before it waits again.</summary>
    public int BackpressureLowWaterPercent { get; init; } = 25;

    /// <summary>Longest a publishing connection waits for a congested subscriber's queue to drain. After it the subscriber
    /// is considered stuck: publishers stop waiting for it (until it drains to the low-water mark) and messages beyond its
    /// full queue are dropped and counted, so one stuck subscriber cannot stall every publisher. Zero turns back-pressure
    /// off (messages beyond a full queue are dropped at once).</summary>
    public TimeSpan PublisherBackpressureTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbound QoS 1/2 messages sent to one client and not yet acknowledged. MQTT 5 clients may
    /// lower it with Receive Maximum (MQTT-3.3.4-9).</summary>
    public int MaximumInflightPerClient { get; init; } = 100;

    /// <summary>A client is disconnected after KeepAlive x this factor without any control packet (MQTT-3.1.2-24 says one and a half).</summary>
    public double KeepAliveFactor { get; init; } = 1.5;

    /// <summary>Serve MQTT 5.0 clients. When false, CONNECT with protocol level 5 is refused with CONNACK 0x84.</summary>
    public bool AllowMqtt5 { get; init; } = true;

    /// <summary>Longest client identifier accepted (in UTF-16 chars); longer ones get CONNACK 0x02 / 0x85.
    /// MQTT-3.1.3-5 requires at least 23; the wire format allows 65 535.</summary>
    public int MaximumClientIdLength { get; init; } = 65_535;

    /// <summary>How long an MQTT 3.x persistent session (CleanSession=0) is kept while its client is offline.
    /// Null (default) keeps it until the broker stops, like Mosquitto's default. MQTT 5 clients choose their own
    /// Session Expiry Interval, capped by <see cref="MaximumSessionExpiryInterval"/>.</summary>
    public TimeSpan? PersistentSessionExpiry { get; init; }

    /// <summary>Cap applied to the Session Expiry Interval requested by MQTT 5 clients (seconds).</summary>
    public uint MaximumSessionExpiryInterval { get; init; } = uint.MaxValue;

    /// <summary>Publish $SYS/broker/... statistics (retained) through the publish pipeline.</summary>
    public bool EnableSysTopics { get; init; } = true;

    /// <summary>Period of the $SYS statistics. $SYS/broker/version is published once at start.</summary>
    public TimeSpan SysInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Acknowledgements and other control packets a connection may have waiting for its writer before the
    /// broker stops reading from that client (back-pressure on clients that publish but never read).</summary>
    public int MaximumPendingControlPackets { get; init; } = 1024;

    /// <summary>How long a closing connection may take to flush what it still has to send (e.g. DISCONNECT).</summary>
    public TimeSpan CloseFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Log a line when an ordinary client connects or disconnects (Mosquitto's connection_messages). Refusals
    /// and abnormal closes are logged (throttled) whatever this says.</summary>
    public bool ConnectionMessages { get; init; } = true;
}

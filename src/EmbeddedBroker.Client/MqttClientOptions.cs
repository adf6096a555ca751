using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>Everything <see cref="MqttClient.ConnectAsync(MqttClientOptions, CancellationToken)"/> needs.</summary>
public sealed record MqttClientOptions
{
    /// <summary>Host name or address for the TCP overload.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    /// <summary>Empty asks the server to assign one (allowed with a clean session, MQTT-3.1.3-6).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Clean Session (3.1/3.1.1) or Clean Start (5.0).</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>Seconds; 0 disables keep-alive. The client sends PINGREQ when it has sent nothing for this long.</summary>
    public ushort KeepAliveSeconds { get; init; } = 60;

    public string? Username { get; init; }
    public ReadOnlyMemory<byte>? Password { get; init; }
    public MqttWill? Will { get; init; }
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    /// <summary>Largest packet this client accepts; sent to 5.0 servers as the Maximum Packet Size property.</summary>
    public int MaximumPacketSize { get; init; } = 268_435_455;

    /// <summary>MQTT 5 Session Expiry Interval in seconds (ignored for 3.x). Null: not sent (0, session ends on close).</summary>
    public uint? SessionExpiryInterval { get; init; }

    /// <summary>Extra CONNECT properties for 5.0 (merged under the ones the options above set).</summary>
    public MqttProperties? ConnectProperties { get; init; }

    /// <summary>
    /// Cap on QoS 1/2 publishes awaiting their acknowledgement. Null: the server's Receive Maximum (5.0), else 65,000.
    /// Set it for 3.x servers that enforce a quota they cannot announce (mosquitto drops QoS 2 beyond 20 in flight).
    /// </summary>
    public int? MaximumPublishesInFlight { get; init; }

    /// <summary>How long to wait for CONNACK before giving up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many QoS 0 publishes may wait in the outgoing queue before <see cref="MqttClient.PublishAsync"/>
    /// waits: the backpressure that keeps a fast publisher from growing memory without bound.
    /// </summary>
    public int OutgoingQueueCapacity { get; init; } = 4096;

    /// <summary>
    /// Mosquitto's <c>try_private</c> (bridge mode): a 3.1/3.1.1 CONNECT carries its protocol level with bit 7 set
    /// (0x83, 0x84), which Mosquitto and EMQX read as "this client is a bridge": they do not send a bridge's own messages
    /// back to it and keep the retain flag as published. A server that does not know it refuses with return code 1
    /// (unacceptable protocol version): connect again without it. Ignored for MQTT 5, which has No Local instead.
    /// </summary>
    public bool BridgeProtocolFlag { get; init; }

    /// <summary>
    /// Received QoS 1/2 messages are acknowledged (PUBACK, PUBREC) only when the application calls
    /// <see cref="MqttClient.Acknowledge"/>, so that a server keeps a message until it is really taken care of (a
    /// bridge that must first hand it on). Acknowledge in the order received (MQTT-4.6.0-2). Off: acknowledged on receipt.
    /// </summary>
    public bool ManualAcknowledgement { get; init; }

    /// <summary>How many received messages may wait unread in <see cref="MqttClient.Messages"/> before the read loop waits (TCP backpressure).</summary>
    public int IncomingQueueCapacity { get; init; } = 65_536;
}

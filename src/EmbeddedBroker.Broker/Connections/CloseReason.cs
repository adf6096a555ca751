namespace EmbeddedBroker.Broker.Connections;

/// <summary>Why a connection ended; the first reason recorded wins.</summary>
internal enum CloseReason
{
    None = 0,

    /// <summary>The client sent DISCONNECT: a normal close, the will is discarded (MQTT-3.14.4-3).</summary>
    ClientDisconnected,

    /// <summary>The client closed the network connection without DISCONNECT.</summary>
    TransportClosed,

    TransportError,
    MalformedPacket,
    PacketTooLarge,
    ProtocolViolation,
    ConnectTimeout,
    KeepAliveTimeout,
    ConnectRefused,
    SessionTakenOver,
    ServerShuttingDown,
}

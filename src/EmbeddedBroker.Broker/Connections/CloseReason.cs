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

    /// <summary>The memory budget was exceeded while the client sent something large.</summary>
    QuotaExceeded,

    /// <summary>A packet that had started to arrive was not complete within PartialPacketTimeout.</summary>
    PartialPacketTimeout,
    ConnectRefused,
    SessionTakenOver,
    ServerShuttingDown,
}

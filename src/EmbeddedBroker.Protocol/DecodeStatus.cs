namespace EmbeddedBroker.Protocol;

/// <summary>What <c>MqttPacketDecoder.TryDecode</c> found at the start of the buffer.</summary>
public enum DecodeStatus
{
    /// <summary>A whole packet was decoded; <c>consumed</c> points past it.</summary>
    Decoded,

    /// <summary>The buffer holds only part of a packet; nothing was consumed. Read more and call again.</summary>
    NeedMoreData,

    /// <summary>The bytes break the spec; the connection must be closed (with DISCONNECT 0x81 for 5.0).</summary>
    Malformed,

    /// <summary>The declared remaining length exceeds the maximum packet size (0x95 for 5.0).</summary>
    TooLarge,

    /// <summary>Well formed, but a rule MQTT 5 calls a Protocol Error is broken (duplicate property, ...): close, 0x82.</summary>
    ProtocolError,
}

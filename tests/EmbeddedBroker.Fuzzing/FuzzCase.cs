using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzzing;

/// <summary>What the broker must do with the bytes of a <see cref="FuzzCase"/>.</summary>
public enum Verdict
{
    /// <summary>Valid: the connection stays open (the PINGREQ probe behind it is answered).</summary>
    Accepted,

    /// <summary>The spec says close: the connection is closed; MQTT 5 after CONNACK with one of <see cref="FuzzCase.Codes"/>.</summary>
    Refused,

    /// <summary>A blind mutation: open or closed are both fine, the general invariants still hold.</summary>
    Either,
}

/// <summary>
/// Bytes sent to the broker as one step, what the broker must do with them, and the spec statement that says so
/// (empty for valid packets and blind mutations).
/// </summary>
public sealed record FuzzCase(string Kind, byte[] Bytes, Verdict Verdict, string Spec = "")
{
    /// <summary>MQTT 5 after CONNACK: the DISCONNECT reason codes the broker may close with; empty means any error code
    /// (the spec names none).</summary>
    public IReadOnlyList<MqttReasonCode> Codes { get; init; } = [];

    /// <summary>Before CONNACK: the refusal return/reason codes a CONNACK may carry (empty: any refusal, or none at all).</summary>
    public IReadOnlyList<MqttReasonCode> ConnAckCodes { get; init; } = [];

    /// <summary>Before CONNACK: the broker must answer with a CONNACK (one of <see cref="ConnAckCodes"/>), not just close.</summary>
    public bool RequiresConnAck { get; init; }

    /// <summary>A blind mutation of a valid packet, or random bytes: this session's model no longer knows the broker's state.</summary>
    public bool IsBlind => Verdict == Verdict.Either;

    public static FuzzCase Valid(string kind, byte[] bytes) => new(kind, bytes, Verdict.Accepted);

    public static FuzzCase Blind(string kind, byte[] bytes) => new(kind, bytes, Verdict.Either);

    /// <summary>A Malformed Packet: MQTT 5 DISCONNECT 0x81 (4.13), 3.1.1 close.</summary>
    public static FuzzCase Malformed(string kind, byte[] bytes, string spec) =>
        new(kind, bytes, Verdict.Refused, spec) { Codes = [MqttReasonCode.MalformedPacket] };

    /// <summary>What MQTT 5 calls a Protocol Error: DISCONNECT 0x82 (4.13), 3.1.1 close.</summary>
    public static FuzzCase ProtocolError(string kind, byte[] bytes, string spec) =>
        new(kind, bytes, Verdict.Refused, spec) { Codes = [MqttReasonCode.ProtocolError] };

    /// <summary>Refused with a specific code (or, with none listed, any error code).</summary>
    public static FuzzCase Refused(string kind, byte[] bytes, string spec, params MqttReasonCode[] codes) =>
        new(kind, bytes, Verdict.Refused, spec) { Codes = codes };
}

namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// A well-formed packet that breaks a rule MQTT 5 calls a Protocol Error (a duplicate property, a value of 0 where
/// the spec forbids it, Retain Handling 3, No Local on a shared subscription): the decoder answers
/// <see cref="DecodeStatus.ProtocolError"/>, so that the broker closes with DISCONNECT 0x82 rather than 0x81.
/// </summary>
#pragma warning disable CA1032, CA1064 // internal, never crosses the assembly boundary
internal sealed class ProtocolErrorException(string reason) : Exception(reason);
#pragma warning restore CA1032, CA1064

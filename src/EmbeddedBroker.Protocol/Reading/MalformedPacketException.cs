namespace EmbeddedBroker.Protocol.Reading;

/// <summary>
/// Raised inside the packet readers and caught by <see cref="MqttPacketDecoder.TryDecode"/>, which turns it into
/// <see cref="DecodeStatus.Malformed"/>. A malformed packet ends the connection, so the cost of one exception
/// per broken connection is irrelevant and keeps every reader a straight line instead of a ladder of checks.
/// </summary>
#pragma warning disable CA1032, CA1064 // internal, never crosses the assembly boundary
internal sealed class MalformedPacketException(string reason) : Exception(reason);
#pragma warning restore CA1032, CA1064

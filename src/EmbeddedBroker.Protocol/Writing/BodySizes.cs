namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// What measuring a packet found, so the writer does not measure twice: the remaining length (2.2.3) and the
/// content sizes of the property blocks (packet properties and, for CONNECT, will properties).
/// </summary>
internal readonly record struct BodySizes(int RemainingLength, int PropertiesSize = 0, int WillPropertiesSize = 0);

namespace EmbeddedBroker.Protocol;

/// <summary>An MQTT 5 user property (0x26): a UTF-8 string pair; order and duplicates are preserved.</summary>
public readonly record struct MqttUserProperty(string Name, string Value);

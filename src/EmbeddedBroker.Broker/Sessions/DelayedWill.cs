namespace EmbeddedBroker.Broker.Sessions;

/// <summary>A will waiting to be published: at once, or after its MQTT 5 Will Delay Interval (Environment.TickCount64
/// due time). <paramref name="Publisher"/> is the client it belongs to, whose publish rights apply to it.</summary>
internal sealed record DelayedWill(MqttApplicationMessage Message, long DueAt, MqttClientIdentity Publisher);

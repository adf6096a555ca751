namespace EmbeddedBroker.Broker.Sessions;

/// <summary>An MQTT 5 will waiting for its Will Delay Interval to pass (Environment.TickCount64 due time).</summary>
internal sealed record DelayedWill(MqttApplicationMessage Message, long DueAt);

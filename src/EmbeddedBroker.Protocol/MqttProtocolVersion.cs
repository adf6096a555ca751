namespace EmbeddedBroker.Protocol;

/// <summary>The protocol level byte of CONNECT (MQTT-3.1.2-2).</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1, protocol name "MQIsdp".</summary>
    V310 = 3,

    /// <summary>MQTT 3.1.1, protocol name "MQTT".</summary>
    V311 = 4,

    /// <summary>MQTT 5.0, protocol name "MQTT".</summary>
    V500 = 5,
}

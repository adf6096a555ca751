namespace EmbeddedBroker.Broker;

/// <summary>
/// Every deliberate deviation from the MQTT specifications, each a named flag, so that none hides in a handler.
/// Bound from the configuration section "Broker:Compatibilities".
/// </summary>
public sealed record MqttCompatibilities
{
    /// <summary>Deviation kept from Mosquitto: PUBLISH from clients (and their wills) to topics starting with '$'
    /// (e.g. $SYS) is acknowledged but dropped and counted. True lets them through.</summary>
    public bool AllowClientPublishToDollarTopics { get; init; }

    /// <summary>Deviation from MQTT 3.1 (MQIsdp), which limits client ids to 23 characters: like Mosquitto, longer ids
    /// are accepted. Set to false to answer CONNACK 0x02 as the 3.1 spec says.</summary>
    public bool AllowLongMqtt31ClientIds { get; init; } = true;
}

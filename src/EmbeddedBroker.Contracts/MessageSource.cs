namespace EmbeddedBroker.Contracts;

/// <summary>Where an accepted message entered the publish pipeline.</summary>
public enum MessageSource
{
    Client,
    Will,
    System,
    Api,
    Simulator,

    /// <summary>Received from a remote broker over a bridge; <see cref="MqttApplicationMessage.SourceClientId"/> is the
    /// bridge's local client id.</summary>
    Bridge,
}

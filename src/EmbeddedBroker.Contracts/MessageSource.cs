namespace EmbeddedBroker.Contracts;

/// <summary>Where an accepted message entered the publish pipeline.</summary>
public enum MessageSource
{
    Client,
    Will,
    System,
    Api,
    Simulator,
}

namespace EmbeddedBroker.Bridges.Statistics;

/// <summary>Where a bridge's connection to its remote broker is.</summary>
public enum BridgeState
{
    /// <summary>Not started yet, or trying to connect (between attempts too).</summary>
    Connecting,
    Connected,

    /// <summary>The host stopped it.</summary>
    Stopped,
}

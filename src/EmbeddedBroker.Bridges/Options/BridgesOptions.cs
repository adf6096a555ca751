namespace EmbeddedBroker.Bridges.Options;

/// <summary>Every bridge (the configuration section "Bridges", a list), and where their out-queues are kept.</summary>
public sealed class BridgesOptions
{
    public const string SectionName = "Bridges";

    public IReadOnlyList<BridgeOptions> Items { get; set; } = [];

    /// <summary>The folder of the queue files (one SQLite file per bridge, beside the broker's store); null keeps the
    /// queues in memory only (persistence turned off).</summary>
    public string? QueueFolder { get; set; }

    /// <summary>SQLite's synchronous setting for the queue files ("normal" or "full"), as the broker's store.</summary>
    public string Synchronous { get; set; } = "normal";
}

using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Bridges;

/// <summary>
/// The configured bridges, built once (their queue files opened and loaded) when the broker first needs them: the
/// publish observer and the connection service share them. Independent of the local broker, so that the broker can be
/// built with the observer without a cycle.
/// </summary>
internal sealed class BridgeRegistry
{
    public BridgeRegistry(IOptions<BridgesOptions> options, ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        var logger = loggerFactory.CreateLogger("EmbeddedBroker.Bridges");
        Bridges = [.. settings.Items.Select(b => new Bridge(b, OpenJournal(settings, b, logger), logger))];
        if (Bridges.Count > 0 && settings.QueueFolder is null)
        {
            logger.LogWarning("Persistence is off: the bridges' out-queues are kept in memory only and lost on a restart");
        }
    }

    public IReadOnlyList<Bridge> Bridges { get; }

    private static IQueueJournal OpenJournal(BridgesOptions settings, BridgeOptions bridge, ILogger logger) =>
        settings.QueueFolder is { } folder
            ? new SqliteQueueJournal(Path.Combine(folder, QueueFileName.For(bridge.Name)), settings.Synchronous, logger)
            : new MemoryQueueJournal();
}

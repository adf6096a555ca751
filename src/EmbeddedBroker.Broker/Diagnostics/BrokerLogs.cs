using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Diagnostics;

/// <summary>
/// The connection logger and one <see cref="LogThrottle"/> per event that a client can repeat at will, shared by every
/// connection: at most one line per interval each, whatever the number of clients, with the count of the others.
/// </summary>
internal sealed class BrokerLogs(ILogger connectionLogger, ILogger packetLogger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public ILogger Connection { get; } = connectionLogger;

    /// <summary>Every packet in and out at Debug (<c>-v</c>).</summary>
    public PacketLog Packets { get; } = new(packetLogger);

    public LogThrottle MalformedPackets { get; } = new(Interval);
    public LogThrottle ProtocolViolations { get; } = new(Interval);
    public LogThrottle RefusedConnects { get; } = new(Interval);
    public LogThrottle Takeovers { get; } = new(Interval);
    public LogThrottle DollarTopicPublishes { get; } = new(Interval);
    public LogThrottle FailedReceipts { get; } = new(Interval);
    public LogThrottle MemoryBudget { get; } = new(Interval);

    /// <summary>Whether connect and disconnect lines of ordinary clients are written at Information (Mosquitto's
    /// connection_messages); abusive patterns are throttled whatever this says.</summary>
    public bool ConnectionMessages { get; init; } = true;
}

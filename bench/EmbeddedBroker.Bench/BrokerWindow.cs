namespace EmbeddedBroker.Bench;

/// <summary>
/// Broker CPU and memory over a measured window: started when the window opens, stopped when it closes (before any
/// drain or clean-up, which are not part of the figure), reported afterwards.
/// </summary>
internal sealed class BrokerWindow
{
    private readonly BrokerProcess _broker;
    private readonly long _cpuTicksAtStart;
    private readonly Dictionary<int, long> _threadsAtStart;
    private long? _cpuTicks;
    private long? _threadNanoseconds;
    private long _rssKiB;

    private BrokerWindow(BrokerProcess broker)
    {
        _broker = broker;
        _threadsAtStart = broker.ReadThreadCpuNanoseconds();
        _cpuTicksAtStart = broker.ReadCpuTicks();
    }

    public static BrokerWindow? StartIfKnown(BenchOptions options) =>
        options.BrokerPid is { } pid ? new BrokerWindow(new BrokerProcess(pid)) : null;

    public void Stop()
    {
        if (_cpuTicks is not null)
        {
            return;
        }

        _cpuTicks = _broker.ReadCpuTicks() - _cpuTicksAtStart;
        var threads = _broker.ReadThreadCpuNanoseconds();
        // Threads born inside the window count from zero; one that died makes the sum an undercount, so none is given.
        _threadNanoseconds = _threadsAtStart.Keys.All(threads.ContainsKey)
            ? threads.Sum(t => t.Value - _threadsAtStart.GetValueOrDefault(t.Key))
            : null;
        _rssKiB = _broker.ReadRssKiB();
    }

    /// <summary>
    /// Adds brokerCpuTicks, brokerCpuSeconds, brokerCpuUsPerMessage (ticks over <paramref name="messages"/>), the same
    /// from per-thread nanoseconds when exact (brokerCpuUsPerMessageFine), and brokerRssKiB at the window's end.
    /// </summary>
    public void Report(BenchResult result, long messages)
    {
        Stop();
        var ticks = _cpuTicks!.Value;
        if (_threadNanoseconds is { } nanoseconds)
        {
            result.Set("brokerCpuUsPerMessageFine", messages == 0 ? 0.0 : nanoseconds / 1000.0 / messages);
        }

        result.Set("brokerCpuTicks", ticks)
            .Set("brokerCpuSeconds", (double)ticks / BrokerProcess.ClockTicksPerSecond)
            .Set("brokerCpuUsPerMessage", messages == 0 ? 0.0 : BrokerProcess.TicksToMicroseconds(ticks) / messages)
            .Set("brokerRssKiB", _rssKiB);
    }
}

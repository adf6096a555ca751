using System.Collections.Concurrent;
using EmbeddedBroker.Broker.Sessions;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Batch lists shared by the writer loops: a writer borrows one for a round (take from the session, encode, flush) and
/// gives it back, so thousands of mostly idle connections do not each keep a list of 128 items (3 KiB) alive.
/// </summary>
internal static class OutboundBatchPool
{
    private const int MaximumPooled = 64;
    private static readonly ConcurrentQueue<List<OutboundItem>> Pool = new();

    public static List<OutboundItem> Rent(int capacity) =>
        Pool.TryDequeue(out var list) ? list : new List<OutboundItem>(capacity);

    public static void Return(List<OutboundItem> list)
    {
        list.Clear(); // no message stays reachable from the pool
        if (Pool.Count < MaximumPooled && list.Capacity <= 1024)
            Pool.Enqueue(list);
    }
}

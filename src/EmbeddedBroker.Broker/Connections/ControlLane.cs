using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>One control packet waiting for the writer; <paramref name="UsesSlot"/> when it holds one of the connection's
/// MaximumPendingControlPackets slots (acks from the read loop do; a server DISCONNECT does not).</summary>
internal readonly record struct ControlItem(MqttPacket Packet, bool UsesSlot);

/// <summary>
/// The priority lane of a connection (acks, PINGRESP, SUBACK, DISCONNECT), drained by the writer before session data.
/// A plain queue under a lock: writers are the read loop and the rare closer, so there is no contention to avoid, and an
/// empty queue costs a few dozen bytes instead of the kilobyte of a ConcurrentQueue segment.
/// </summary>
internal sealed class ControlLane
{
    private readonly Lock _lock = new();
    private readonly Queue<ControlItem> _items = new();

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
                return _items.Count == 0;
        }
    }

    public void Enqueue(ControlItem item)
    {
        lock (_lock)
            _items.Enqueue(item);
    }

    public bool TryDequeue(out ControlItem item)
    {
        lock (_lock)
            return _items.TryDequeue(out item);
    }
}

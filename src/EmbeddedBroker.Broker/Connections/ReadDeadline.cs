using EmbeddedBroker.Broker.Core;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// When a connection's read gives up, after CONNACK: 1.5 x keep-alive after the last complete packet (MQTT-3.1.2-24),
/// or PartialPacketTimeout after a packet started to arrive and did not complete, whichever comes first; paused while
/// the broker itself stops reading (back-pressure). Also accounts the partial packet's bytes in the memory budget.
/// Owned by the read loop's thread; the timer is the read's cancellation source.
/// </summary>
internal sealed class ReadDeadline(CancellationTokenSource readCancellation, MemoryBudget memory, TimeSpan partialPacketTimeout)
{
    private TimeSpan _keepAliveTimeout = Timeout.InfiniteTimeSpan;
    private long _keepAliveDueAt = long.MaxValue;
    private long _partialSince;
    private long _partialBytes;

    /// <summary>Bytes of the packet being received now (0 when the buffer ends on a packet boundary).</summary>
    public long PartialBytes => _partialBytes;

    /// <summary>True when the read was cancelled because a started packet did not complete in time.</summary>
    public bool IsPartialPacketOverdue =>
        _partialBytes > 0 && Environment.TickCount64 - _partialSince >= (long)partialPacketTimeout.TotalMilliseconds;

    /// <summary>CONNACK accepted the client: the keep-alive clock starts.</summary>
    public void Start(TimeSpan keepAliveTimeout)
    {
        _keepAliveTimeout = keepAliveTimeout;
        PacketCompleted();
    }

    /// <summary>A complete control packet arrived: the keep-alive clock restarts.</summary>
    public void PacketCompleted() =>
        _keepAliveDueAt = _keepAliveTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)_keepAliveTimeout.TotalMilliseconds;

    /// <summary>After each read: <paramref name="bytes"/> of an incomplete packet wait in the buffer. Arms the timer.</summary>
    public void Pending(long bytes)
    {
        memory.Add(bytes - _partialBytes);
        if (bytes == 0)
            _partialSince = 0;
        else if (_partialBytes == 0)
            _partialSince = Environment.TickCount64;
        _partialBytes = bytes;
        Arm();
    }

    /// <summary>The broker stops reading (a subscriber is congested): neither clock runs against the client.</summary>
    public void Pause() => readCancellation.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>Reading resumes: both clocks start again from now.</summary>
    public void Resume()
    {
        PacketCompleted();
        if (_partialBytes > 0)
            _partialSince = Environment.TickCount64;
        Arm();
    }

    /// <summary>The connection ends: the partial packet's bytes leave the budget.</summary>
    public void Release()
    {
        memory.Release(_partialBytes);
        _partialBytes = 0;
    }

    private void Arm()
    {
        var dueAt = _keepAliveDueAt;
        if (_partialBytes > 0)
            dueAt = Math.Min(dueAt, _partialSince + (long)partialPacketTimeout.TotalMilliseconds);
        if (dueAt == long.MaxValue)
        {
            readCancellation.CancelAfter(Timeout.InfiniteTimeSpan);
            return;
        }

        readCancellation.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, dueAt - Environment.TickCount64)));
    }
}

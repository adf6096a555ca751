using EmbeddedBroker.Broker.Core;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// When a connection's read gives up: ConnectTimeout before CONNACK; after it, 1.5 x keep-alive after the last complete
/// packet (MQTT-3.1.2-24), or PartialPacketTimeout after a packet started to arrive and did not complete, whichever
/// comes first; nothing while the broker itself stops reading (back-pressure). Plain state: no timer per connection.
/// The broker's one <see cref="ConnectionTimeouts"/> loop compares <see cref="DueAt"/> with the clock for every
/// connection and closes those past it. Also accounts the partial packet's bytes in the memory budget.
/// Written by the read loop's thread; <see cref="DueAt"/> is read by the timeout loop.
/// </summary>
internal sealed class ReadDeadline(MemoryBudget memory, TimeSpan partialPacketTimeout)
{
    private long _keepAliveMs = -1;
    private long _keepAliveDueAt = long.MaxValue;
    private long _partialSince;
    private long _partialBytes;
    private long _dueAt = long.MaxValue;
    private bool _paused;

    /// <summary>Environment.TickCount64 at which the read gives up; long.MaxValue for never.</summary>
    public long DueAt => Volatile.Read(ref _dueAt);

    /// <summary>True when the deadline passed because a started packet did not complete in time.</summary>
    public bool IsPartialPacketOverdue =>
        _partialBytes > 0 && Environment.TickCount64 - _partialSince >= (long)partialPacketTimeout.TotalMilliseconds;

    /// <summary>A new connection: it has <paramref name="connectTimeout"/> to send CONNECT.</summary>
    public void AwaitConnect(TimeSpan connectTimeout) => Volatile.Write(ref _dueAt, Environment.TickCount64 + (long)connectTimeout.TotalMilliseconds);

    /// <summary>CONNACK accepted the client: the keep-alive clock starts (infinite keep-alive: none).</summary>
    public void Start(TimeSpan keepAliveTimeout)
    {
        _keepAliveMs = keepAliveTimeout == Timeout.InfiniteTimeSpan ? -1 : (long)keepAliveTimeout.TotalMilliseconds;
        PacketCompleted();
        Arm();
    }

    /// <summary>A complete control packet arrived: the keep-alive clock restarts.</summary>
    public void PacketCompleted() =>
        _keepAliveDueAt = _keepAliveMs < 0 ? long.MaxValue : Environment.TickCount64 + _keepAliveMs;

    /// <summary>After each read: <paramref name="bytes"/> of an incomplete packet wait in the buffer.</summary>
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
    public void Pause()
    {
        _paused = true;
        Volatile.Write(ref _dueAt, long.MaxValue);
    }

    /// <summary>Reading resumes: both clocks start again from now.</summary>
    public void Resume()
    {
        _paused = false;
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
        Volatile.Write(ref _dueAt, long.MaxValue);
    }

    private void Arm()
    {
        if (_paused)
            return;
        var dueAt = _keepAliveDueAt;
        if (_partialBytes > 0)
            dueAt = Math.Min(dueAt, _partialSince + (long)partialPacketTimeout.TotalMilliseconds);
        Volatile.Write(ref _dueAt, dueAt);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Threading.Channels;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// The client's single writer: a queue of packets that any thread may add to, drained by one loop that encodes all
/// that is queued and flushes once, so many publishes are in flight at once and leave in the order they were queued.
/// It also owns the QoS 0 backpressure (<see cref="OutgoingQueueRoom"/>) and when something was last sent (keep-alive).
/// </summary>
internal sealed class ClientWriter
{
    // Flush at least this often inside a long batch so the pipe's buffer stays bounded.
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly PipeWriter _output;
    private readonly MqttProtocolVersion _version;
    private readonly IClientLifetime _lifetime;
    private readonly Channel<OutgoingPacket> _queue =
        Channel.CreateUnbounded<OutgoingPacket>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly OutgoingQueueRoom _room;
    private Task _loop = Task.CompletedTask;
    private long _lastSentTicks = Environment.TickCount64;
    private volatile bool _stopped;

    public ClientWriter(PipeWriter output, MqttProtocolVersion version, int qos0Capacity, IClientLifetime lifetime)
    {
        _output = output;
        _version = version;
        _lifetime = lifetime;
        _room = new OutgoingQueueRoom(qos0Capacity);
    }

    /// <summary>Ends once everything queued before <see cref="Complete"/> is flushed, or the connection ended.</summary>
    public Task Loop => _loop;

    /// <summary><see cref="Environment.TickCount64"/> of the last flush.</summary>
    public long LastSentTicks => Volatile.Read(ref _lastSentTicks);

    public void Start() => _loop = Task.Run(WriteLoopAsync);

    /// <summary>Queues an item; false once the queue is completed (the connection is going away).</summary>
    public bool TryWrite(in OutgoingPacket item) => _queue.Writer.TryWrite(item);

    /// <summary>Queues a control packet; fails silently once closed, as the connection is going away anyway.</summary>
    public void Send(in OutgoingPacket item) => _queue.Writer.TryWrite(item);

    /// <summary>Queues a packet and completes when it is flushed.</summary>
    public Task WriteAsync(in OutgoingPacket item, TaskCompletionSource written, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(item) ? written.Task.WaitAsync(cancellationToken) : Task.FromException(new MqttConnectionClosedException());

    /// <summary>Queues a QoS 0 PUBLISH; completes at once, or once the queue is back within its capacity.</summary>
    public Task WriteQos0Async(PublishPacket packet, CancellationToken cancellationToken)
    {
        _room.Take();
        if (!_queue.Writer.TryWrite(OutgoingPacket.ForPacket(packet, holdsCredit: true)))
        {
            _room.GiveBack();
            return Task.FromException(new MqttConnectionClosedException());
        }

        return _room.WhenRoomAsync(cancellationToken);
    }

    /// <summary>Nothing more is queued: the loop ends after writing what already is.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The connection ended: the loop stops at the next item, and whoever waits for room is failed.</summary>
    public void Stop(Exception reason)
    {
        _stopped = true;
        _queue.Writer.TryComplete();
        _room.FailWaiters(reason);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        List<TaskCompletionSource>? written = null;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var credits = 0;
                var unflushed = 0;
                while (!_stopped && reader.TryRead(out var item))
                {
                    unflushed += Write(item);
                    if (item.HoldsCredit)
                    {
                        credits++;
                    }

                    if (item.Written is not null)
                    {
                        (written ??= []).Add(item.Written);
                    }

                    if (unflushed >= FlushThresholdBytes)
                    {
                        if ((await _output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                        {
                            return;
                        }

                        unflushed = 0;
                        credits = ReleaseCredits(credits);
                    }
                }

                var flush = await _output.FlushAsync().ConfigureAwait(false);
                Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
                ReleaseCredits(credits);
                if (written is { Count: > 0 })
                {
                    foreach (var completion in written)
                    {
                        completion.TrySetResult();
                    }

                    written.Clear();
                }

                if (flush.IsCompleted || flush.IsCanceled || _stopped)
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            if (_lifetime.IsConnected)
            {
                _lifetime.End(new MqttConnectionLostEventArgs(ex, null));
            }
        }
        finally
        {
            try
            {
                await _output.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or IOException)
            {
                // The transport was closed under us (an abort, the peer gone): there is nothing left to flush.
            }

            // Anything still queued or waiting for its flush will never be written.
            var closed = new MqttConnectionClosedException();
            foreach (var completion in written ?? [])
            {
                completion.TrySetException(closed);
            }

            while (reader.TryRead(out var item))
            {
                item.Written?.TrySetException(closed);
            }
        }
    }

    private int ReleaseCredits(int credits)
    {
        if (credits > 0)
        {
            _room.Released(credits);
        }

        return 0;
    }

    private int Write(in OutgoingPacket item)
    {
        if (item.Packet is { } packet)
        {
            return MqttPacketEncoder.Encode(packet, _version, _output);
        }

        if (item.AckType != 0)
        {
            // Every version accepts the 2-byte form; 5.0 omits reason code and properties when Success and none (MQTT 3.4.2.1).
            var span = _output.GetSpan(4);
            span[0] = (byte)((byte)item.AckType << 4 | (item.AckType == MqttPacketType.PubRel ? 0b0010 : 0));
            span[1] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], item.AckId);
            _output.Advance(4);
            return 4;
        }

        _output.Write(item.Raw.Span);
        return item.Raw.Length;
    }
}

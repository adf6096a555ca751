using System.IO.Pipelines;
using EmbeddedBroker.Broker.Diagnostics;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// The single writer of a connection: each round (run on demand by <see cref="WriteScheduler"/>) drains the control
/// lane (acks, PINGRESP, SUBACK, DISCONNECT) before pulling data from the session, encodes all it has and flushes once
/// per batch. Acks and pings are never stuck behind data. Before the first round, CONNACK is written directly
/// (<see cref="WriteDirectAsync"/>).
/// </summary>
internal sealed class ConnectionWriter : IDisposable
{
    /// <summary>Packets taken from the session per round (one lock acquisition); small enough to interleave acks, large
    /// enough to batch. A bigger batch showed no gain: the flush threshold below already bounds what is encoded at once.</summary>
    private const int DataBatchSize = 128;

    /// <summary>Flush early when this much is encoded, so a burst of large messages is not all buffered at once.</summary>
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly MqttConnection _connection;
    private readonly PipeWriter _output;
    private readonly BrokerStatistics _statistics;
    private readonly ControlLane _control = new();
    private readonly SemaphoreSlim _controlSlots;
    private readonly WriteScheduler _rounds;
    private NegotiatedSession? _negotiated;
    private volatile bool _closing;

    /// <summary>Aliases towards an MQTT 5 client that accepts them, created with the first PUBLISH (writer loop only).</summary>
    private OutboundTopicAliases? _aliases;

    /// <summary>Set when packets are logged (<c>-v</c>), for the loop's lifetime.</summary>
    private PacketLog? _packets;

    /// <summary>PUBLISH packets encoded since the last flush (writer loop only).</summary>
    private int _unflushedMessages;

    public ConnectionWriter(MqttConnection connection, PipeWriter output, int maximumPendingControlPackets)
    {
        _connection = connection;
        _output = output;
        _statistics = connection.Core.Statistics;
        _controlSlots = new SemaphoreSlim(maximumPendingControlPackets, maximumPendingControlPackets);
        _rounds = new WriteScheduler(RoundAsync, connection.Core.Options.InlineWrites);
    }

    /// <summary>Writes and flushes before the loop exists (CONNACK only).</summary>
    public async ValueTask WriteDirectAsync(MqttPacket packet, MqttProtocolVersion version)
    {
        var bytes = MqttPacketEncoder.Encode(packet, version, _output);
        _statistics.AddBytesSent(bytes);
        await _output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>CONNACK is out: rounds may write from now on, for the negotiated session.</summary>
    public void Start()
    {
        _negotiated = _connection.Negotiated!;
        _packets = _connection.Core.Logs.Packets.IsEnabled ? _connection.Core.Logs.Packets : null;
        _rounds.Enable();
    }

    /// <summary>There is something to write (new session data, a control packet). Safe from any thread.</summary>
    public void Signal() => _rounds.Signal();

    /// <summary>From now on only control packets already queued are written (the DISCONNECT of a close).</summary>
    public void BeginClose() => _closing = true;

    /// <summary>Queues an ack/response from the read loop. When the client does not read its acks, the lane fills and
    /// the read loop waits here: the client is throttled instead of the broker buffering without bound.</summary>
    public ValueTask EnqueueControlAsync(MqttPacket packet)
    {
        if (_controlSlots.Wait(0, CancellationToken.None))
        {
            _control.Enqueue(new ControlItem(packet, UsesSlot: true));
            Signal();
            return ValueTask.CompletedTask;
        }

        return EnqueueControlSlowAsync(packet);
    }

    private async ValueTask EnqueueControlSlowAsync(MqttPacket packet)
    {
        await _controlSlots.WaitAsync(_connection.ClosingToken).ConfigureAwait(false);
        _control.Enqueue(new ControlItem(packet, UsesSlot: true));
        Signal();
    }

    /// <summary>Queues the server's DISCONNECT (MQTT 5), outside the slots: a close must never wait.</summary>
    public void EnqueueDisconnect(MqttReasonCode code)
    {
        _control.Enqueue(new ControlItem(new DisconnectPacket { ReasonCode = code }, UsesSlot: false));
        Signal();
    }

    /// <summary>Lets a last round flush what is queued (a DISCONNECT for MQTT 5); a peer that does not read within
    /// <paramref name="flushTimeout"/> loses what is left.</summary>
    public async Task StopAsync(TimeSpan flushTimeout)
    {
        var stopped = _rounds.StopAsync();
        try
        {
            await stopped.WaitAsync(flushTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _output.CancelPendingFlush();
            await stopped.WaitAsync(flushTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _controlSlots.Dispose();

    /// <summary>One round: everything queued now, control packets first; false when nothing more may be written
    /// (a DISCONNECT went out, or the peer is gone). Never throws.</summary>
    private async ValueTask<bool> RoundAsync()
    {
        var negotiated = _negotiated!;
        var session = negotiated.Session;
        try
        {
            var more = true;
            while (more)
            {
                var pending = 0;
                while (_control.TryDequeue(out var item))
                {
                    if (item.UsesSlot)
                        _controlSlots.Release();
                    pending += Encode(item.Packet, negotiated);
                    if (item.Packet is DisconnectPacket)
                    {
                        await FlushAsync(pending).ConfigureAwait(false);
                        return false; // nothing may follow a DISCONNECT (MQTT-3.14.4-1)
                    }
                }

                more = false;
                if (!_closing)
                {
                    var batch = OutboundBatchPool.Rent(DataBatchSize);
                    try
                    {
                        session.TakeSendable(_connection, batch, DataBatchSize, DateTimeOffset.UtcNow);
                        foreach (var item in batch)
                        {
                            pending += WriteOutbound(item, negotiated);
                            if (pending < FlushThresholdBytes)
                                continue;
                            if (!await FlushAsync(pending).ConfigureAwait(false))
                                return false;
                            pending = 0;
                        }

                        more = batch.Count >= DataBatchSize;
                    }
                    finally
                    {
                        OutboundBatchPool.Return(batch);
                    }
                }

                if (pending > 0 && !await FlushAsync(pending).ConfigureAwait(false))
                    return false;
                more |= !_control.IsEmpty;
            }

            return true;
        }
        catch (Exception ex) when (MqttConnection.IsTransportFailure(ex))
        {
            _connection.Logger.LogDebug(ex, "Writer of {ClientId} stopped", negotiated.ClientId);
            _connection.RequestClose(CloseReason.TransportError);
            return false;
        }
        catch (Exception ex)
        {
            _connection.Logger.LogError(ex, "Writer of {ClientId} failed", negotiated.ClientId);
            _connection.RequestClose(CloseReason.TransportError);
            return false;
        }
    }

    /// <summary>Flushes; false when the peer is gone (the read loop is told to stop). Statistics are counted per flush,
    /// not per packet, to keep interlocked operations off the per-message path.</summary>
    private async ValueTask<bool> FlushAsync(int bytes)
    {
        _statistics.AddBytesSent(bytes);
        if (_unflushedMessages > 0)
        {
            _statistics.AddMessagesSent(_unflushedMessages);
            _unflushedMessages = 0;
        }

        var result = await _output.FlushAsync().ConfigureAwait(false);
        if (!result.IsCompleted && !result.IsCanceled)
            return true;
        _connection.RequestClose(CloseReason.TransportError);
        return false;
    }

    private int WriteOutbound(in OutboundItem item, NegotiatedSession negotiated)
    {
        if (item.Kind == OutboundKind.PubRel)
            return Encode(new PubRelPacket { PacketId = item.PacketId }, negotiated);

        var message = item.Message!;
        var topic = message.Topic;
        var properties = negotiated.IsV5 ? OutboundProperties(message, item.Identifiers) : MqttProperties.Empty;
        if (negotiated.OutboundTopicAliases > 0)
            (topic, properties) = (_aliases ??= new OutboundTopicAliases(negotiated.OutboundTopicAliases)).Apply(topic, properties);
        var packet = new PublishPacket
        {
            Topic = topic,
            Payload = message.Payload,
            Qos = item.Qos,
            Retain = item.Retain,
            Dup = item.Dup, // MQTT-3.3.1-1: DUP=1 only when re-sending (never for QoS 0, MQTT-3.3.1-2)
            PacketId = item.PacketId,
            Properties = properties,
        };

        if (negotiated.ClientMaximumPacketSize > 0 && MqttPacketEncoder.GetEncodedSize(packet, negotiated.Version) > negotiated.ClientMaximumPacketSize)
        {
            // MQTT-3.1.2-25: never send a packet larger than the client's Maximum Packet Size; discard as if delivered.
            _statistics.MessageDroppedTooLarge();
            if (item.Qos > MqttQualityOfService.AtMostOnce)
                negotiated.Session.Abandon(item.PacketId);
            return 0;
        }

        _unflushedMessages++;
        return Encode(packet, negotiated);
    }

    private int Encode(MqttPacket packet, NegotiatedSession negotiated)
    {
        var bytes = MqttPacketEncoder.Encode(packet, negotiated.Version, _output);
        _packets?.Sent(negotiated.ClientId, packet, bytes);
        return bytes;
    }

    /// <summary>The forwarded Message Expiry Interval is what is left of it (MQTT-3.3.2-6), the subscription identifiers are
    /// this delivery's (MQTT-3.3.4-3); the other publication properties pass unchanged (<see cref="MqttProperties.ForPublication"/>).</summary>
    private static MqttProperties OutboundProperties(MqttApplicationMessage message, IReadOnlyList<uint>? identifiers)
    {
        var properties = message.Properties;
        var expiry = properties.MessageExpiryInterval;
        if (expiry is { } seconds)
        {
            var elapsed = (uint)Math.Max(0, (DateTimeOffset.UtcNow - message.ReceivedAt).TotalSeconds);
            expiry = seconds > elapsed ? seconds - elapsed : 1;
        }

        return expiry == properties.MessageExpiryInterval && identifiers is null ? properties : properties.ForPublication(expiry, identifiers);
    }
}

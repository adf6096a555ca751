using System.Threading.Channels;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// PUBACK / PUBREC of client publishes, each held back until the observers' receipt for its message completes (the
/// acknowledgement gate, <see cref="IPublishObserver"/>; e.g. the recorder with AckAfterRecorded). The read loop does
/// not wait for them: a waiting acknowledgement goes into an ordered queue that one pump drains, so later packets are
/// still read and routed, and acknowledgements leave in the order of their PUBLISH packets (MQTT-4.6.0-2,
/// MQTT-4.6.0-3), held back or not. The queue is bounded by MaximumPendingControlPackets: beyond it the read loop
/// waits (back-pressure on the publisher). If a receipt faults, MQTT 5 clients get reason 0x80 (unspecified error);
/// 3.1.x clients, which have no way to hear "no", get no acknowledgement, so they send the message again after
/// reconnecting.
/// </summary>
internal sealed class AcknowledgementSequencer(MqttConnection connection)
{
    /// <summary>Acknowledgements waiting for a receipt, in PUBLISH order; created at the first one.</summary>
    private Channel<PendingAck>? _pending;

    /// <summary>Entries put into <see cref="_pending"/> and not yet handed to the writer by the pump.</summary>
    private int _pendingCount;

    private Task? _pump;

    /// <summary>Acknowledges a client PUBLISH: at once when nothing waits, else behind the acknowledgements still waiting.</summary>
    public ValueTask AcknowledgeAsync(PublishAcknowledgementPacket ack, PublishReceipt receipt)
    {
        if (Volatile.Read(ref _pendingCount) == 0 && !receipt.IsPending)
            return SendAsync(ack); // the common case
        return QueueAsync(new PendingAck(ack, receipt.AsTask()));
    }

    /// <summary>Hands the answer to the writer; a PUBACK or an error PUBREC ends the flow, so its Receive Maximum slot is free.</summary>
    private ValueTask SendAsync(PublishAcknowledgementPacket ack)
    {
        if (ack is PubAckPacket || (byte)ack.ReasonCode >= 0x80)
            connection.Quota?.Release();
        return connection.Writer.EnqueueControlAsync(ack);
    }

    public async Task StopAsync()
    {
        _pending?.Writer.TryComplete();
        if (_pump is not null)
            await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async ValueTask QueueAsync(PendingAck pending)
    {
        if (_pending is null)
        {
            var capacity = connection.Core.Options.MaximumPendingControlPackets;
            _pending = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
            _pump = PumpAsync(_pending.Reader);
        }

        Interlocked.Increment(ref _pendingCount);
        if (!_pending.Writer.TryWrite(pending))
            await _pending.Writer.WriteAsync(pending, connection.ClosingToken).ConfigureAwait(false); // full: the publisher waits
    }

    private async Task PumpAsync(ChannelReader<PendingAck> reader)
    {
        try
        {
            while (await reader.WaitToReadAsync(connection.ClosingToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var pending))
                {
                    await ReleaseAsync(pending).ConfigureAwait(false);
                    Interlocked.Decrement(ref _pendingCount); // only now: a later ack may then skip the queue
                }
            }
        }
        catch (Exception ex) when (MqttConnection.IsTransportFailure(ex))
        {
            // The connection is closing: acknowledgements not sent are not sent; the client resends after reconnecting.
        }
    }

    private async ValueTask ReleaseAsync(PendingAck pending)
    {
        var ack = pending.Ack;
        try
        {
            await pending.Receipt.WaitAsync(connection.ClosingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ack = OnReceiptFailed(ack, ex);
            if (ack is null)
                return;
        }

        await SendAsync(ack).ConfigureAwait(false);
    }

    /// <summary>The acknowledgement to send instead when the receipt faulted; null to send none (MQTT 3.1.x).</summary>
    private PublishAcknowledgementPacket? OnReceiptFailed(PublishAcknowledgementPacket ack, Exception ex)
    {
        var core = connection.Core;
        var isV5 = connection.Version == MqttProtocolVersion.V500;
        core.Statistics.RecordingAcknowledgementFailed();
        if (core.Logs.FailedReceipts.TryEnter(out var suppressed))
        {
            connection.Logger.LogWarning(ex, "A message of {ClientId} could not be kept by an observer: its acknowledgement is {Action} ({Suppressed} more since the last such line)",
                connection.ClientId, isV5 ? "sent with reason 0x80" : "withheld so that the client sends it again", suppressed);
        }

        // QoS 2: forget the packet id, so that the client's resend is a new message that gets kept, not a duplicate
        // acknowledged without being kept (MQTT-4.3.3-2 would otherwise swallow it).
        if (ack is PubRecPacket)
            connection.Negotiated?.Session.ReleaseIncomingQos2(ack.PacketId);

        if (!isV5)
            return null;
        return ack is PubRecPacket
            ? new PubRecPacket { PacketId = ack.PacketId, ReasonCode = MqttReasonCode.UnspecifiedError }
            : new PubAckPacket { PacketId = ack.PacketId, ReasonCode = MqttReasonCode.UnspecifiedError };
    }

    private readonly record struct PendingAck(PublishAcknowledgementPacket Ack, Task Receipt);
}

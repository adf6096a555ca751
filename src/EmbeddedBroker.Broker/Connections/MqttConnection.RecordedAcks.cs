using System.Threading.Channels;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// PUBACK / PUBREC of client publishes, held back until the recorder confirms the message is written when at-least-once
/// recording is on (an observer's receipt, <see cref="IPublishObserver"/>). The read loop does not wait for the disk: a waiting
/// acknowledgement goes into an ordered queue that one pump drains, so later packets are still read and routed, and
/// acknowledgements leave in the order of their PUBLISH packets (MQTT-4.6.0-2, MQTT-4.6.0-3), held-back or not.
/// The queue is bounded by MaximumPendingControlPackets: beyond it the read loop waits (back-pressure on the publisher).
/// If recording fails, MQTT 5 clients get reason 0x80 (unspecified error); 3.1.x clients, which have no way to hear
/// "no", get no acknowledgement, so they send the message again after reconnecting.
/// </summary>
internal sealed partial class MqttConnection
{
    /// <summary>Acknowledgements waiting for the recorder, in PUBLISH order; created at the first one.</summary>
    private Channel<PendingAck>? _pendingAcks;

    /// <summary>Entries put into <see cref="_pendingAcks"/> and not yet handed to the control lane by the pump.</summary>
    private int _pendingAckCount;

    private Task? _ackPump;
    private bool _recordingFailureLogged;

    /// <summary>Acknowledges a client PUBLISH: at once when nothing waits, else behind the acknowledgements still waiting.
    /// <paramref name="recorded"/> is the message the observers saw (null when it was not accepted or is a QoS 2 duplicate).</summary>
    private ValueTask AcknowledgePublishAsync(PublishAcknowledgementPacket ack, PublishReceipt recording)
    {
        if (Volatile.Read(ref _pendingAckCount) == 0 && !recording.IsPending)
            return EnqueueControlAsync(ack); // the common case: nothing ahead, nothing to wait for
        return QueueAcknowledgementAsync(new PendingAck(ack, recording.AsTask()));
    }

    private async ValueTask QueueAcknowledgementAsync(PendingAck pending)
    {
        if (_pendingAcks is null)
        {
            _pendingAcks = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(_options.MaximumPendingControlPackets)
            {
                SingleReader = true,
                SingleWriter = true,
            });
            _ackPump = PumpAcknowledgementsAsync(_pendingAcks.Reader);
        }

        Interlocked.Increment(ref _pendingAckCount);
        await _pendingAcks.Writer.WriteAsync(pending, _readCts.Token).ConfigureAwait(false);
    }

    private async Task PumpAcknowledgementsAsync(ChannelReader<PendingAck> reader)
    {
        try
        {
            while (await reader.WaitToReadAsync(_readCts.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var pending))
                {
                    await ReleaseAsync(pending).ConfigureAwait(false);
                    Interlocked.Decrement(ref _pendingAckCount); // only now: a later ack may then skip the queue
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsTransportFailure(ex))
        {
            // The connection is closing: acknowledgements not sent are not sent; the client resends after reconnecting.
        }
    }

    private async ValueTask ReleaseAsync(PendingAck pending)
    {
        var ack = pending.Ack;
        try
        {
            await pending.Recording.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ack = OnRecordingFailed(ack, ex);
            if (ack is null)
                return;
        }

        await EnqueueControlAsync(ack).ConfigureAwait(false);
    }

    /// <summary>The acknowledgement to send instead when recording failed; null to send none (MQTT 3.1.x).</summary>
    private PublishAcknowledgementPacket? OnRecordingFailed(PublishAcknowledgementPacket ack, Exception ex)
    {
        _statistics.RecordingAcknowledgementFailed();
        if (!_recordingFailureLogged)
        {
            _recordingFailureLogged = true;
            _logger.LogWarning(ex, "Recording a message of {ClientId} failed: its acknowledgement is {Action} (logged once per connection)",
                ClientId, _version == MqttProtocolVersion.V500 ? "sent with reason 0x80" : "withheld so that the client sends it again");
        }

        // QoS 2: forget the packet id, so that the client's resend is a new message that gets recorded, not a duplicate
        // acknowledged without recording (MQTT-4.3.3-2 would otherwise swallow it).
        if (ack is PubRecPacket)
            _session?.ReleaseIncomingQos2(ack.PacketId);

        if (_version != MqttProtocolVersion.V500)
            return null;
        return ack is PubRecPacket
            ? new PubRecPacket { PacketId = ack.PacketId, ReasonCode = MqttReasonCode.UnspecifiedError }
            : new PubAckPacket { PacketId = ack.PacketId, ReasonCode = MqttReasonCode.UnspecifiedError };
    }

    private async Task StopAcknowledgementPumpAsync()
    {
        _pendingAcks?.Writer.TryComplete();
        if (_ackPump is not null)
            await _ackPump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private readonly record struct PendingAck(PublishAcknowledgementPacket Ack, Task Recording);
}

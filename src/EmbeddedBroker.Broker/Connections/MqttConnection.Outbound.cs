using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>The single writer of a connection: priority lane first, then session data; one flush per batch.</summary>
internal sealed partial class MqttConnection
{
    /// <summary>Packets taken from the session per round (one lock acquisition); small enough to interleave acks, large
    /// enough to batch. A bigger batch showed no gain: the flush threshold below already bounds what is encoded at once.</summary>
    private const int DataBatchSize = 128;

    /// <summary>Flush early when this much is encoded, so a burst of large messages is not all buffered at once.</summary>
    private const int FlushThresholdBytes = 64 * 1024;

    /// <summary>Queues an ack/response from the read loop. When the client does not read its acks, the lane fills and
    /// the read loop waits here: the client is throttled instead of the broker buffering without bound.</summary>
    private ValueTask EnqueueControlAsync(MqttPacket packet)
    {
        if (_controlSlots.Wait(0))
        {
            _control.Enqueue(new ControlItem(packet, UsesSlot: true));
            SignalOutbound();
            return ValueTask.CompletedTask;
        }

        return EnqueueControlSlowAsync(packet);
    }

    private async ValueTask EnqueueControlSlowAsync(MqttPacket packet)
    {
        await _controlSlots.WaitAsync(_readCts.Token).ConfigureAwait(false);
        _control.Enqueue(new ControlItem(packet, UsesSlot: true));
        SignalOutbound();
    }

    private async Task RunWriterAsync()
    {
        var output = _transport.Output;
        var disconnectSent = false;
        try
        {
            while (!disconnectSent && await _outboundSignal.WaitAsync().ConfigureAwait(false))
            {
                var more = true;
                while (more && !disconnectSent)
                {
                    var pending = 0;
                    while (_control.TryDequeue(out var item))
                    {
                        if (item.UsesSlot)
                            _controlSlots.Release();
                        pending += Write(item.Packet);
                        if (item.Packet is DisconnectPacket)
                        {
                            disconnectSent = true; // nothing may follow a DISCONNECT (MQTT-3.14.4-1)
                            break;
                        }
                    }

                    more = false;
                    if (!disconnectSent && !_closing && _session is { } session)
                    {
                        var batch = OutboundBatchPool.Rent(DataBatchSize);
                        try
                        {
                            session.TakeSendable(this, batch, DataBatchSize, DateTimeOffset.UtcNow);
                            foreach (var item in batch)
                            {
                                pending += WriteOutbound(item, session);
                                if (pending < FlushThresholdBytes)
                                    continue;
                                if (!await FlushAsync(output, pending).ConfigureAwait(false))
                                    return;
                                pending = 0;
                            }

                            more = batch.Count >= DataBatchSize;
                        }
                        finally
                        {
                            OutboundBatchPool.Return(batch);
                        }
                    }

                    if (pending > 0 && !await FlushAsync(output, pending).ConfigureAwait(false))
                        return;
                    more |= !_control.IsEmpty;
                }
            }
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            _logger.LogDebug(ex, "Writer of {ClientId} stopped", ClientId);
            RequestClose(CloseReason.TransportError);
        }
    }

    /// <summary>Flushes; false when the peer is gone (the read loop is told to stop). Statistics are counted per flush,
    /// not per packet, to keep interlocked operations off the per-message path.</summary>
    private async ValueTask<bool> FlushAsync(System.IO.Pipelines.PipeWriter output, int bytes)
    {
        _statistics.AddBytesSent(bytes);
        if (_unflushedMessages > 0)
        {
            _statistics.AddMessagesSent(_unflushedMessages);
            _unflushedMessages = 0;
        }

        var result = await output.FlushAsync().ConfigureAwait(false);
        if (!result.IsCompleted && !result.IsCanceled)
            return true;
        RequestClose(CloseReason.TransportError);
        return false;
    }

    /// <summary>PUBLISH packets encoded since the last flush (writer loop only).</summary>
    private int _unflushedMessages;

    private int Write(MqttPacket packet) => MqttPacketEncoder.Encode(packet, _version, _transport.Output);

    private int WriteOutbound(in OutboundItem item, MqttSession session)
    {
        if (item.Kind == OutboundKind.PubRel)
            return Write(new PubRelPacket { PacketId = item.PacketId });

        var message = item.Message!;
        var packet = new PublishPacket
        {
            Topic = message.Topic,
            Payload = message.Payload,
            Qos = item.Qos,
            Retain = item.Retain,
            Dup = item.Dup, // MQTT-3.3.1-1: DUP=1 only when re-sending (never for QoS 0, MQTT-3.3.1-2)
            PacketId = item.PacketId,
            Properties = _version == MqttProtocolVersion.V500 ? OutboundProperties(message) : MqttProperties.Empty,
        };

        if (_clientMaximumPacketSize > 0 && MqttPacketEncoder.GetEncodedSize(packet, _version) > _clientMaximumPacketSize)
        {
            // MQTT-3.1.2-25: never send a packet larger than the client's Maximum Packet Size; discard as if delivered.
            _statistics.MessageDroppedTooLarge();
            if (item.Qos > MqttQualityOfService.AtMostOnce)
                session.Abandon(item.PacketId);
            return 0;
        }

        _unflushedMessages++;
        return Write(packet);
    }

    /// <summary>The forwarded Message Expiry Interval is what is left of it (MQTT-3.3.2-6); other properties pass unchanged
    /// (MQTT-3.3.2-4 payload format, 3.3.2-15 response topic, 3.3.2-16 correlation data, 3.3.2-17 user properties).</summary>
    private static MqttProperties OutboundProperties(MqttApplicationMessage message)
    {
        var properties = message.Properties;
        if (properties.MessageExpiryInterval is not { } expiry)
            return properties;
        var elapsed = (uint)Math.Max(0, (DateTimeOffset.UtcNow - message.ReceivedAt).TotalSeconds);
        if (elapsed == 0)
            return properties;
        return new MqttProperties
        {
            PayloadFormatIndicator = properties.PayloadFormatIndicator,
            MessageExpiryInterval = expiry > elapsed ? expiry - elapsed : 1,
            ContentType = properties.ContentType,
            ResponseTopic = properties.ResponseTopic,
            CorrelationData = properties.CorrelationData,
            UserProperties = properties.UserProperties,
        };
    }
}

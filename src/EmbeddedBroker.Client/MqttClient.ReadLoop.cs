using System.Buffers;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    // Read loop only: QoS 2 packet ids received (PUBREC sent) and not yet released, so a DUP resend is not delivered twice (MQTT-4.3.3-10).
    private readonly HashSet<ushort> _receivedQos2Ids = [];
    private long _lastReceivedTicks = Environment.TickCount64;

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        Exception? failure = null;
        DisconnectPacket? serverDisconnect = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                Volatile.Write(ref _lastReceivedTicks, Environment.TickCount64);
                var buffer = result.Buffer;
                try
                {
                    while (TryDecode(ref buffer, out var packet))
                    {
                        if (packet is DisconnectPacket disconnect)
                        {
                            serverDisconnect = disconnect;
                            return;
                        }

                        var handled = HandleAsync(packet);
                        if (!handled.IsCompletedSuccessfully)
                        {
                            await handled.ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            var userClosed = Volatile.Read(ref _state) != StateConnected;
            Terminate(userClosed ? null : new MqttConnectionLostEventArgs(failure, serverDisconnect));
        }
    }

    private bool TryDecode(ref ReadOnlySequence<byte> buffer, out MqttPacket packet)
    {
        var status = MqttPacketDecoder.TryDecode(buffer, _version, _options.MaximumPacketSize, out var decoded, out var consumed, out var error);
        switch (status)
        {
            case DecodeStatus.Decoded:
                buffer = buffer.Slice(consumed);
                packet = decoded!;
                return true;
            case DecodeStatus.NeedMoreData:
                packet = null!;
                return false;
            default:
                throw new InvalidDataException($"The server sent a packet the client cannot accept ({status}): {error}");
        }
    }

    private ValueTask HandleAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return ReceiveAsync(publish);
            case PubAckPacket pubAck:
                CompletePublish(pubAck, PendingKind.PublishQos1);
                break;
            case PubRecPacket pubRec:
                OnPubRec(pubRec);
                break;
            case PubCompPacket pubComp:
                CompletePublish(pubComp, PendingKind.PublishQos2AwaitingPubComp);
                break;
            case PubRelPacket pubRel:
                // Answer even an unknown id: after a reconnect the server may release what an earlier connection received (MQTT-4.3.3-11).
                _receivedQos2Ids.Remove(pubRel.PacketId);
                Send(OutgoingPacket.ForAck(MqttPacketType.PubComp, pubRel.PacketId));
                break;
            case SubAckPacket subAck:
                CompleteRequest(subAck.PacketId, PendingKind.Subscribe, subAck.ReasonCodes);
                break;
            case UnsubAckPacket unsubAck:
                CompleteRequest(unsubAck.PacketId, PendingKind.Unsubscribe, unsubAck.ReasonCodes);
                break;
            case PingRespPacket:
                if (_pingsAwaitingResponse.TryDequeue(out var ping))
                {
                    ping?.TrySetResult();
                }

                break;
            case AuthPacket:
                // Enhanced authentication is not offered by this client, so a server AUTH is out of place.
                throw new InvalidDataException("The server sent AUTH but this client did not ask for enhanced authentication.");
            default:
                throw new InvalidDataException($"A server does not send {packet.Type} after CONNACK.");
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask ReceiveAsync(PublishPacket publish)
    {
        switch (publish.Qos)
        {
            case MqttQualityOfService.AtLeastOnce when !_options.ManualAcknowledgement:
                // Ack before the application reads it: the message is ours once it is in the channel.
                Send(OutgoingPacket.ForAck(MqttPacketType.PubAck, publish.PacketId));
                break;
            case MqttQualityOfService.ExactlyOnce:
                // A resend of an id already received is answered at once and not delivered again (MQTT-4.3.3-10); a new
                // one is answered here, or by Acknowledge with manual acknowledgement.
                var isNew = _receivedQos2Ids.Add(publish.PacketId);
                if (!isNew || !_options.ManualAcknowledgement)
                {
                    Send(OutgoingPacket.ForAck(MqttPacketType.PubRec, publish.PacketId));
                }

                if (!isNew)
                {
                    return ValueTask.CompletedTask;
                }

                break;
        }

        var message = new MqttReceivedMessage(publish);
        if (_messages.Writer.TryWrite(message))
        {
            return ValueTask.CompletedTask;
        }

        return DeliverWhenRoomAsync(message);
    }

    private async ValueTask DeliverWhenRoomAsync(MqttReceivedMessage message)
    {
        // The application is behind: stop reading so TCP pushes back on the server.
        if (!await _messages.Writer.WaitToWriteAsync().ConfigureAwait(false) || !_messages.Writer.TryWrite(message))
        {
            // Closed while waiting: the client is going away, the message with it.
        }
    }

    private void OnPubRec(PubRecPacket pubRec)
    {
        var operation = _pending.Find(pubRec.PacketId);
        if (operation is not { Kind: PendingKind.PublishQos2AwaitingPubRec or PendingKind.PublishQos2AwaitingPubComp })
        {
            // Not ours (e.g. a raw packet sent by a test). Release it anyway so the server's state ends (MQTT-4.3.3).
            Send(OutgoingPacket.ForAck(MqttPacketType.PubRel, pubRec.PacketId));
            return;
        }

        if (IsAcknowledgementFailure(pubRec.ReasonCode))
        {
            // 5.0: a failing PUBREC ends the exchange; no PUBREL follows (MQTT-4.3.3-6 note).
            _pending.Remove(operation);
            operation.TrySetException(new MqttOperationException(MqttPacketType.PubRec, pubRec.ReasonCode));
            return;
        }

        operation.Kind = PendingKind.PublishQos2AwaitingPubComp;
        Send(OutgoingPacket.ForAck(MqttPacketType.PubRel, pubRec.PacketId));
    }

    private void CompletePublish(PublishAcknowledgementPacket ack, PendingKind expected)
    {
        var operation = _pending.Find(ack.PacketId);
        if (operation is null || operation.Kind != expected || !_pending.Remove(operation))
        {
            return;
        }

        if (IsAcknowledgementFailure(ack.ReasonCode))
        {
            operation.TrySetException(new MqttOperationException(ack.Type, ack.ReasonCode));
        }
        else
        {
            operation.TrySetResult(null);
        }
    }

    private void CompleteRequest(ushort packetId, PendingKind expected, IReadOnlyList<MqttReasonCode> reasonCodes)
    {
        var operation = _pending.Find(packetId);
        if (operation is null || operation.Kind != expected || !_pending.Remove(operation))
        {
            return;
        }

        if (reasonCodes.Count == 0 && expected == PendingKind.Unsubscribe)
        {
            // 3.x UNSUBACK carries no codes: the server removed what it had.
            reasonCodes = Enumerable.Repeat(MqttReasonCode.Success, operation.FilterCount).ToArray();
        }

        operation.TrySetResult(reasonCodes);
    }

    /// <summary>Queues a control packet; fails silently once closed, as the connection is going away anyway.</summary>
    private void Send(OutgoingPacket item) => _outgoing.Writer.TryWrite(item);
}

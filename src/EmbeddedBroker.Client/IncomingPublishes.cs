using System.Threading.Channels;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// The server's PUBLISH packets on their way to the application: acknowledged (on receipt, or by
/// <see cref="Acknowledge"/> with manual acknowledgement), QoS 2 resends recognised, and delivered to a bounded
/// channel whose fullness stops the read loop, so that TCP pushes back on the server. Read loop only, but for
/// <see cref="Acknowledge"/>.
/// </summary>
internal sealed class IncomingPublishes
{
    private readonly ClientWriter _writer;
    private readonly bool _manualAcknowledgement;
    private readonly Channel<MqttReceivedMessage> _messages;

    // QoS 2 packet ids received (PUBREC sent or due) and not yet released, so a DUP resend is not delivered twice (MQTT-4.3.3-10).
    private readonly HashSet<ushort> _receivedQos2Ids = [];

    public IncomingPublishes(ClientWriter writer, bool manualAcknowledgement, int capacity)
    {
        _writer = writer;
        _manualAcknowledgement = manualAcknowledgement;
        _messages = Channel.CreateBounded<MqttReceivedMessage>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<MqttReceivedMessage> Messages => _messages.Reader;

    public ValueTask ReceiveAsync(PublishPacket publish)
    {
        switch (publish.Qos)
        {
            case MqttQualityOfService.AtLeastOnce when !_manualAcknowledgement:
                // Ack before the application reads it: the message is ours once it is in the channel.
                _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubAck, publish.PacketId));
                break;
            case MqttQualityOfService.ExactlyOnce:
                // A resend of an id already received is answered at once and not delivered again (MQTT-4.3.3-10); a new
                // one is answered here, or by Acknowledge with manual acknowledgement.
                var isNew = _receivedQos2Ids.Add(publish.PacketId);
                if (!isNew || !_manualAcknowledgement)
                {
                    _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubRec, publish.PacketId));
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

    /// <summary>Answers PUBREL, even for an unknown id: after a reconnect the server may release what an earlier
    /// connection received (MQTT-4.3.3-11).</summary>
    public void OnPubRel(PubRelPacket pubRel)
    {
        _receivedQos2Ids.Remove(pubRel.PacketId);
        _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubComp, pubRel.PacketId));
    }

    /// <summary>With manual acknowledgement: PUBACK (QoS 1) or PUBREC (QoS 2) now; nothing otherwise.</summary>
    public void Acknowledge(in MqttReceivedMessage message)
    {
        if (!_manualAcknowledgement)
        {
            return;
        }

        switch (message.Qos)
        {
            case MqttQualityOfService.AtLeastOnce:
                _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubAck, message.PacketId));
                break;
            case MqttQualityOfService.ExactlyOnce:
                _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubRec, message.PacketId));
                break;
        }
    }

    /// <summary>No more messages: the application's reader sees the end.</summary>
    public void Complete() => _messages.Writer.TryComplete();

    private async ValueTask DeliverWhenRoomAsync(MqttReceivedMessage message)
    {
        // The application is behind: stop reading so TCP pushes back on the server.
        if (!await _messages.Writer.WaitToWriteAsync().ConfigureAwait(false) || !_messages.Writer.TryWrite(message))
        {
            // Closed while waiting: the client is going away, the message with it.
        }
    }
}

using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    /// <summary>
    /// With <see cref="MqttClientOptions.ManualAcknowledgement"/>: acknowledges a received QoS 1 (PUBACK) or QoS 2
    /// (PUBREC) message now. Call in the order the messages were received (MQTT-4.6.0-2). Does nothing for QoS 0, without
    /// manual acknowledgement, or once the connection has ended (the server then sends the message again, MQTT-4.4.0-1).
    /// </summary>
    public void Acknowledge(in MqttReceivedMessage message)
    {
        if (!_options.ManualAcknowledgement)
        {
            return;
        }

        switch (message.Qos)
        {
            case MqttQualityOfService.AtLeastOnce:
                Send(OutgoingPacket.ForAck(MqttPacketType.PubAck, message.PacketId));
                break;
            case MqttQualityOfService.ExactlyOnce:
                Send(OutgoingPacket.ForAck(MqttPacketType.PubRec, message.PacketId));
                break;
        }
    }
}

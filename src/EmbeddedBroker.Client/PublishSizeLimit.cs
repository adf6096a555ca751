using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>MQTT 5: the server's Maximum Packet Size from CONNACK, which no PUBLISH may exceed (MQTT-3.2.2-15).</summary>
internal readonly struct PublishSizeLimit(int? maximum, MqttProtocolVersion version)
{
    /// <summary>False when the server announced no limit: nothing to measure.</summary>
    public bool IsSet => maximum is not null;

    public void Check(PublishPacket packet)
    {
        if (maximum is { } max && MqttPacketEncoder.GetEncodedSize(packet, version) > max)
        {
            throw new ArgumentException($"The PUBLISH exceeds the server's Maximum Packet Size of {max} bytes.", nameof(packet));
        }
    }
}

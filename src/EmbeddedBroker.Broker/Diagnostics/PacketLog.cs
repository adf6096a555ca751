using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Diagnostics;

/// <summary>
/// Every packet in and out, as <c>mosquitto -v</c> logs them: client id, packet type, QoS, retain, DUP, packet id,
/// topic and size, at Debug in its own category ("EmbeddedBroker.Broker.Packets", turned on by <c>-v</c>).
/// A connection asks <see cref="IsEnabled"/> once at CONNACK, so when it is off a packet costs one bool test.
/// </summary>
internal sealed class PacketLog(ILogger logger)
{
    public const string Category = "EmbeddedBroker.Broker.Packets";

    public bool IsEnabled => logger.IsEnabled(LogLevel.Debug);

    public void Received(string clientId, MqttPacket packet, long bytes) => Write("Received", "from", clientId, packet, bytes);

    public void Sent(string clientId, MqttPacket packet, long bytes) => Write("Sending", "to", clientId, packet, bytes);

    private void Write(string verb, string preposition, string clientId, MqttPacket packet, long bytes)
    {
        switch (packet)
        {
            case PublishPacket publish:
                logger.LogDebug("{Verb} {Packet} {Preposition} {ClientId} (d{Dup}, q{Qos}, r{Retain}, m{PacketId}, '{Topic}', ... ({PayloadBytes} bytes)) {Bytes} B",
                    verb, packet.Type, preposition, clientId, publish.Dup ? 1 : 0, (int)publish.Qos, publish.Retain ? 1 : 0, publish.PacketId,
                    publish.Topic, publish.Payload.Length, bytes);
                break;
            case IMqttPacketWithIdentifier withId:
                logger.LogDebug("{Verb} {Packet} {Preposition} {ClientId} (m{PacketId}) {Bytes} B", verb, packet.Type, preposition, clientId, withId.PacketId, bytes);
                break;
            default:
                logger.LogDebug("{Verb} {Packet} {Preposition} {ClientId} {Bytes} B", verb, packet.Type, preposition, clientId, bytes);
                break;
        }
    }
}

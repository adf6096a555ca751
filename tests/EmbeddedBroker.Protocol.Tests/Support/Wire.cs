using System.Buffers;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Protocol.Tests.Support;

/// <summary>Small wrappers around the codec under test.</summary>
internal static class Wire
{
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var writer = new ArrayBufferWriter<byte>();
        var written = MqttPacketEncoder.Encode(packet, version, writer);
        Assert.That(written, Is.EqualTo(writer.WrittenCount), "Encode's return value must be the bytes written");
        return writer.WrittenSpan.ToArray();
    }

    public static (DecodeStatus Status, MqttPacket? Packet, long Consumed, string? Error) Decode(
        ReadOnlySequence<byte> buffer, MqttProtocolVersion version, int maximumPacketSize = 0)
    {
        var status = MqttPacketDecoder.TryDecode(buffer, version, maximumPacketSize, out var packet, out var consumed, out var error);
        return (status, packet, buffer.Slice(0, consumed).Length, error);
    }

    public static (DecodeStatus Status, MqttPacket? Packet, long Consumed, string? Error) Decode(
        byte[] bytes, MqttProtocolVersion version, int maximumPacketSize = 0)
        => Decode(new ReadOnlySequence<byte>(bytes), version, maximumPacketSize);
}

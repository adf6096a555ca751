using System.Buffers;
using EmbeddedBroker.Protocol.Reading;
using EmbeddedBroker.Protocol.Writing;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Protocol;

/// <summary>
/// Decodes MQTT 3.1, 3.1.1 and 5.0 control packets from pipe memory. One codec for all versions: the differences
/// are small branches inside each packet reader.
/// </summary>
public static class MqttPacketDecoder
{
    /// <summary>
    /// Decodes one packet from the start of <paramref name="buffer"/>. On <see cref="DecodeStatus.Decoded"/>,
    /// <paramref name="consumed"/> points past the packet; otherwise it is <c>buffer.Start</c>.
    /// </summary>
    /// <param name="version">The connection's negotiated version (V311 before CONNECT; CONNECT carries its own level).</param>
    /// <param name="maximumPacketSize">Whole packet limit in bytes, fixed header included; 0 or less means no limit.</param>
    /// <param name="error">A short reason on Malformed/TooLarge, for one log line.</param>
    public static DecodeStatus TryDecode(in ReadOnlySequence<byte> buffer, MqttProtocolVersion version, int maximumPacketSize,
        out MqttPacket? packet, out SequencePosition consumed, out string? error)
    {
        packet = null;
        consumed = buffer.Start;
        error = null;

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var firstByte))
        {
            return DecodeStatus.NeedMoreData;
        }
        // Check the type and flags before waiting for the body: a broken stream fails at its first byte.
        error = FixedHeaderRules.Check(firstByte, version);
        if (error is not null)
        {
            return DecodeStatus.Malformed;
        }

        switch (VariableByteInteger.TryRead(ref reader, out var remainingLength))
        {
            case VariableByteIntegerResult.NeedMoreData:
                return DecodeStatus.NeedMoreData;
            case VariableByteIntegerResult.Malformed:
                error = "remaining length over 4 bytes (MQTT-1.5.5, 2.2.3)";
                return DecodeStatus.Malformed;
        }

        var packetSize = reader.Consumed + remainingLength;
        if (maximumPacketSize > 0 && packetSize > maximumPacketSize)
        {
            error = $"packet of {packetSize} bytes exceeds the maximum packet size {maximumPacketSize}";
            return DecodeStatus.TooLarge;
        }
        if (reader.Remaining < remainingLength)
        {
            return DecodeStatus.NeedMoreData;
        }

        var body = buffer.Slice(reader.Position, remainingLength);
        try
        {
            packet = ReadPacket(firstByte, body, version);
        }
        catch (MalformedPacketException exception)
        {
            error = exception.Message;
            return DecodeStatus.Malformed;
        }
        catch (ProtocolErrorException exception)
        {
            error = exception.Message;
            return DecodeStatus.ProtocolError;
        }
        consumed = body.End;
        return DecodeStatus.Decoded;
    }

    private static MqttPacket ReadPacket(byte firstByte, ReadOnlySequence<byte> body, MqttProtocolVersion version)
    {
        var reader = new MqttReader(body);
        var type = (MqttPacketType)(firstByte >> 4);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => ConnectPacketReader.Read(ref reader),
            MqttPacketType.ConnAck => ConnAckPacketReader.Read(ref reader, version),
            MqttPacketType.Publish => PublishPacketReader.Read(ref reader, firstByte, version),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp
                => PublishAckPacketReader.Read(ref reader, type, version),
            MqttPacketType.Subscribe => SubscribePacketReader.Read(ref reader, version),
            MqttPacketType.SubAck => SubAckPacketReader.Read(ref reader, version),
            MqttPacketType.Unsubscribe => UnsubscribePacketReader.Read(ref reader, version),
            MqttPacketType.UnsubAck => UnsubAckPacketReader.Read(ref reader, version),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => DisconnectAndAuthPacketReader.ReadDisconnect(ref reader, version),
            MqttPacketType.Auth => DisconnectAndAuthPacketReader.ReadAuth(ref reader),
            _ => throw new MalformedPacketException($"reserved packet type {(int)type}"),
        };
        // The remaining length must match the content exactly (2.2.3): leftover bytes mean the sender and we disagree.
        if (!reader.End)
        {
            throw new MalformedPacketException($"{reader.Remaining} unexpected trailing bytes in {type}");
        }
        return packet;
    }
}

using System.Buffers;
using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Tests.Support;
using static EmbeddedBroker.Protocol.MqttProtocolVersion;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>How the decoder frames packets in a pipe buffer: consumption, size limits, unsupported CONNECT levels.</summary>
public sealed class DecoderFramingTests
{
    [Test]
    public void Two_packets_in_one_buffer_are_decoded_one_at_a_time()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Parse("40 02 00 0A C0 00 30 05 00 03 'a/b'"));

        var first = MqttPacketDecoder.TryDecode(buffer, V311, 0, out var packet1, out var consumed1, out _);
        var rest = buffer.Slice(consumed1);
        var second = MqttPacketDecoder.TryDecode(rest, V311, 0, out var packet2, out var consumed2, out _);
        rest = rest.Slice(consumed2);
        var third = MqttPacketDecoder.TryDecode(rest, V311, 0, out var packet3, out var consumed3, out _);

        Assert.Multiple(() =>
        {
            Assert.That((first, second, third), Is.EqualTo((DecodeStatus.Decoded, DecodeStatus.Decoded, DecodeStatus.Decoded)));
            Assert.That(packet1, Is.TypeOf<PubAckPacket>());
            Assert.That(packet2, Is.SameAs(PingReqPacket.Instance));
            Assert.That(packet3, Is.TypeOf<PublishPacket>());
            Assert.That(rest.Slice(consumed3).Length, Is.Zero);
        });
    }

    [Test]
    public void Empty_buffer_needs_more_data()
    {
        var (status, packet, consumed, _) = Wire.Decode(ReadOnlySequence<byte>.Empty, V311);

        Assert.That((status, packet, consumed), Is.EqualTo((DecodeStatus.NeedMoreData, (MqttPacket?)null, 0L)));
    }

    [TestCase("30 FF", TestName = "Remaining length with continuation bit and no next byte needs more data")]
    [TestCase("30 FF FF FF", TestName = "Three continuation bytes need the fourth")]
    public void Incomplete_remaining_length_needs_more_data(string bytes)
    {
        Assert.That(Wire.Decode(Hex.Parse(bytes), V311).Status, Is.EqualTo(DecodeStatus.NeedMoreData));
    }

    [Test]
    public void Largest_four_byte_remaining_length_is_framed_not_malformed_MQTT_1_5_5()
    {
        // FF FF FF 7F = 268,435,455: valid, so with only the header present the decoder waits for the body.
        Assert.That(Wire.Decode(Hex.Parse("30 FF FF FF 7F"), V311).Status, Is.EqualTo(DecodeStatus.NeedMoreData));
    }

    [Test]
    public void Packet_over_the_maximum_size_is_too_large_as_soon_as_the_remaining_length_is_known()
    {
        // Only the fixed header of a 2 + 200 byte packet has arrived: the limit of 100 is already exceeded.
        var (status, _, consumed, error) = Wire.Decode(Hex.Parse("30 C8 01"), V311, maximumPacketSize: 100);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(DecodeStatus.TooLarge));
            Assert.That(consumed, Is.Zero);
            Assert.That(error, Does.Contain("203"));
        });
    }

    [Test]
    public void Maximum_packet_size_counts_the_fixed_header()
    {
        var bytes = Hex.Parse("30 05 00 03 'a/b'"); // 7 bytes in all

        Assert.Multiple(() =>
        {
            Assert.That(Wire.Decode(bytes, V311, maximumPacketSize: 7).Status, Is.EqualTo(DecodeStatus.Decoded));
            Assert.That(Wire.Decode(bytes, V311, maximumPacketSize: 6).Status, Is.EqualTo(DecodeStatus.TooLarge));
        });
    }

    [TestCase("10 10 00 04 'MQTT' 84 02 00 3C 00 04 'test'", "MQTT", 4, TestName = "CONNECT level 0x84 is 3.1.1 with Mosquitto's bridge flag")]
    [TestCase("10 12 00 06 'MQIsdp' 83 02 00 3C 00 04 'test'", "MQIsdp", 3, TestName = "CONNECT level 0x83 is 3.1 with Mosquitto's bridge flag")]
    public void Bridge_flagged_CONNECT_is_decoded_as_its_version(string bytes, string name, int level)
    {
        var (status, packet, _, error) = Wire.Decode(Hex.Parse(bytes), V311);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        var connect = (ConnectPacket)packet!;
        Assert.Multiple(() =>
        {
            Assert.That(connect.ProtocolName, Is.EqualTo(name));
            Assert.That(connect.Level, Is.EqualTo(level));
            Assert.That(connect.IsBridge, Is.True);
            Assert.That(connect.ClientId, Is.EqualTo("test"));
        });
    }

    [TestCase("10 10 00 04 'MQTT' 06 02 00 3C 00 04 'test'", "MQTT", 6, TestName = "CONNECT level 6 is returned for CONNACK 0x84 MQTT_3_1_2_2")]
    [TestCase("10 10 00 04 'MQTT' 03 02 00 3C 00 04 'test'", "MQTT", 3, TestName = "CONNECT name MQTT with level 3 is unsupported MQTT_3_1_2_2")]
    [TestCase("10 12 00 06 'MQIsdp' 04 02 00 3C 00 04 'test'", "MQIsdp", 4, TestName = "CONNECT name MQIsdp with level 4 is unsupported MQTT_3_1_2_2")]
    [TestCase("10 0A 00 04 'HTTP' 04 FF FF FF", "HTTP", 4, TestName = "CONNECT with an unknown protocol name stops after the level MQTT_3_1_2_1")]
    public void Unsupported_CONNECT_is_decoded_up_to_the_protocol_level(string bytes, string name, int level)
    {
        var data = Hex.Parse(bytes);

        var (status, packet, consumed, error) = Wire.Decode(data, V311);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        var connect = (ConnectPacket)packet!;
        Assert.Multiple(() =>
        {
            Assert.That(connect.ProtocolName, Is.EqualTo(name));
            Assert.That(connect.ProtocolLevel, Is.EqualTo(level));
            Assert.That(connect.ClientId, Is.Empty);
            Assert.That(consumed, Is.EqualTo(data.Length));
        });
    }

    [Test]
    public void CONNECT_5_is_decoded_with_properties_whatever_version_the_connection_assumed()
    {
        var (status, packet, _, _) = Wire.Decode(Hex.Parse("10 16 00 04 'MQTT' 05 02 00 3C 05 11 00 00 00 0A 00 04 'test'"), V311);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded));
        Assert.That(((ConnectPacket)packet!).Properties.SessionExpiryInterval, Is.EqualTo(10));
    }

    [Test]
    public void PUBLISH_payload_is_a_copy_that_survives_reuse_of_the_pipe_memory()
    {
        var bytes = Hex.Parse("30 0A 00 03 'a/b' 'hello'");

        var packet = (PublishPacket)Wire.Decode(bytes, V311).Packet!;
        Array.Fill(bytes, (byte)0);

        Assert.That(packet.Payload.ToArray(), Is.EqualTo("hello"u8.ToArray()));
    }

    [Test]
    public void PUBLISH_payload_split_across_segments_is_copied_whole()
    {
        var bytes = Hex.Parse("30 0A 00 03 'a/b' 'hello'");

        var packet = (PublishPacket)Wire.Decode(Segments.Of(bytes[..7], bytes[7..9], bytes[9..]), V311).Packet!;

        Assert.That(packet.Payload.ToArray(), Is.EqualTo("hello"u8.ToArray()));
    }

    [Test]
    public void Long_topic_split_across_segments_is_decoded_through_a_pooled_buffer()
    {
        var topic = new string('t', 1000);
        var packet = new PublishPacket { Topic = topic };
        var bytes = Wire.Encode(packet, V311);

        var decoded = (PublishPacket)Wire.Decode(Segments.OneBytePerSegment(bytes), V311).Packet!;

        Assert.That(decoded.Topic, Is.EqualTo(topic));
    }
}

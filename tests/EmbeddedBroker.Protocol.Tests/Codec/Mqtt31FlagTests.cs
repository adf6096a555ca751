using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Tests.Support;
using static EmbeddedBroker.Protocol.MqttProtocolVersion;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>MQTT 3.1 (MQIsdp, level 3) is read by its own rules, not held to 3.1.1's.</summary>
public sealed class Mqtt31FlagTests
{
    [TestCase("6A 02 00 07", typeof(PubRelPacket))] // PUBREL QoS 1 with DUP: what a 3.1 client sends when it re-delivers
    [TestCase("8A 06 00 07 00 01 'a' 00", typeof(SubscribePacket))]
    [TestCase("AA 05 00 07 00 01 'a'", typeof(UnsubscribePacket))]
    public void A_re_delivered_PUBREL_SUBSCRIBE_or_UNSUBSCRIBE_with_DUP_is_accepted_in_3_1(string bytes, Type expected)
    {
        var (status, packet, _, error) = Wire.Decode(Hex.Parse(bytes), V310);
        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        Assert.That(packet, Is.InstanceOf(expected));
        Assert.That(((IMqttPacketWithIdentifier)packet!).PacketId, Is.EqualTo(7));
    }

    [TestCase("6A 02 00 07")]
    [TestCase("8A 06 00 07 00 01 'a' 00")]
    public void The_same_bytes_are_malformed_in_3_1_1_MQTT_3_6_1_1_and_3_8_1_1(string bytes)
    {
        Assert.That(Wire.Decode(Hex.Parse(bytes), V311).Status, Is.EqualTo(DecodeStatus.Malformed));
    }

    [Test]
    public void A_3_1_CONNECT_with_bit_0_of_the_connect_flags_set_is_accepted_because_3_1_does_not_reserve_it()
    {
        var (status, packet, _, error) = Wire.Decode(Hex.Parse("10 12 00 06 'MQIsdp' 03 03 00 3C 00 04 'test'"), V311);
        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        Assert.That(((ConnectPacket)packet!).ClientId, Is.EqualTo("test"));
    }

    [Test]
    public void A_5_0_PUBLISH_with_topic_alias_0_decodes_so_that_the_broker_can_answer_0x94_MQTT_3_3_2_8()
    {
        var (status, packet, _, error) = Wire.Decode(Hex.Parse("30 07 00 01 'a' 03 23 00 00"), V500);
        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        Assert.That(((PublishPacket)packet!).Properties.TopicAlias, Is.EqualTo(0));
    }
}

using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Tests.Support;
using static EmbeddedBroker.Protocol.MqttProtocolVersion;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>Packets a version cannot represent, or that would break a spec statement, are refused with ArgumentException.</summary>
public sealed class EncoderArgumentTests
{
    private static IEnumerable<TestCaseData> Unrepresentable()
    {
        static TestCaseData Row(string name, MqttProtocolVersion version, MqttPacket packet) =>
            new TestCaseData(version, packet).SetArgDisplayNames(name);

        yield return Row("AUTH in 3.1.1 (5.0 section 3.15 only)", V311, new AuthPacket());
        yield return Row("AUTH in 3.1 (5.0 section 3.15 only)", V310, new AuthPacket());
        yield return Row("PUBLISH QoS 1 with packet id 0 MQTT_2_3_1_1", V311, new PublishPacket { Topic = "a", Qos = MqttQualityOfService.AtLeastOnce });
        yield return Row("PUBLISH QoS 0 with DUP MQTT_3_3_1_2", V311, new PublishPacket { Topic = "a", Dup = true });
        yield return Row("PUBLISH QoS 3 MQTT_3_3_1_4", V311, new PublishPacket { Topic = "a", Qos = (MqttQualityOfService)3, PacketId = 1 });
        yield return Row("PUBLISH topic over 65535 UTF-8 bytes MQTT_1_5_3", V311, new PublishPacket { Topic = new string('é', 40_000) });
        yield return Row("SUBSCRIBE without filters MQTT_3_8_3_3", V311, new SubscribePacket { PacketId = 1, Subscriptions = [] });
        yield return Row("UNSUBSCRIBE without filters MQTT_3_10_3_2", V311, new UnsubscribePacket { PacketId = 1, TopicFilters = [] });
        yield return Row("SUBSCRIBE with packet id 0 MQTT_2_3_1_1", V311, new SubscribePacket { Subscriptions = [new("a", 0)] });
        yield return Row("PUBACK with packet id 0 MQTT_2_3_1_1", V500, new PubAckPacket());
        yield return Row("CONNECT password without user name in 3.1.1 MQTT_3_1_2_22", V311, new ConnectPacket { Password = new byte[] { 1 } });
        yield return Row("CONNACK 3.1.1 with a SUBACK-only code", V311, new ConnAckPacket { ReasonCode = MqttReasonCode.GrantedQos1 });
        yield return Row("PUBLISH 5.0 with a CONNACK-only property (2.2.2.2)", V500, new PublishPacket { Topic = "a", Properties = new MqttProperties { MaximumQos = 1 } });
        yield return Row("CONNECT 5.0 will with session expiry (3.1.3.2)", V500,
            new ConnectPacket { Will = new MqttWill { Topic = "w", Properties = new MqttProperties { SessionExpiryInterval = 1 } } });
        yield return Row("SUBSCRIBE 5.0 with two subscription identifiers (3.8.2.1.2)", V500,
            new SubscribePacket { PacketId = 1, Subscriptions = [new("a", 0)], Properties = new MqttProperties { SubscriptionIdentifiers = [1, 2] } });
    }

    [TestCaseSource(nameof(Unrepresentable))]
    public void Encode_refuses(MqttProtocolVersion version, MqttPacket packet)
    {
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Wire.Encode(packet, version));
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => MqttPacketEncoder.GetEncodedSize(packet, version));
    }
}

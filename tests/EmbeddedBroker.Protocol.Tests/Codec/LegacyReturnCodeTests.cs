using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Tests.Support;
using static EmbeddedBroker.Protocol.MqttProtocolVersion;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>The model holds 5.0 reason codes; 3.1/3.1.1 CONNACK return codes are table 3.1 of 3.1.1.</summary>
public sealed class LegacyReturnCodeTests
{
    [TestCase(MqttReasonCode.Success, 0)]
    [TestCase(MqttReasonCode.UnsupportedProtocolVersion, 1)]
    [TestCase(MqttReasonCode.ClientIdentifierNotValid, 2)]
    [TestCase(MqttReasonCode.ServerUnavailable, 3)]
    [TestCase(MqttReasonCode.BadUserNameOrPassword, 4)]
    [TestCase(MqttReasonCode.NotAuthorized, 5)]
    public void CONNACK_return_code_maps_both_ways(MqttReasonCode reasonCode, int returnCode)
    {
        foreach (var version in new[] { V310, V311 })
        {
            var bytes = Wire.Encode(new ConnAckPacket { ReasonCode = reasonCode }, version);
            var decoded = (ConnAckPacket)Wire.Decode(bytes, version).Packet!;

            Assert.That(bytes[3], Is.EqualTo(returnCode), $"{version}");
            Assert.That(decoded.ReasonCode, Is.EqualTo(reasonCode), $"{version}");
        }
    }

    [TestCase(MqttReasonCode.ServerBusy, 3)]
    [TestCase(MqttReasonCode.Banned, 5)]
    [TestCase(MqttReasonCode.BadAuthenticationMethod, 4)]
    [TestCase(MqttReasonCode.QuotaExceeded, 3)]
    [TestCase(MqttReasonCode.UnspecifiedError, 3)]
    public void CONNACK_5_0_only_failures_map_to_the_nearest_3_1_1_refusal(MqttReasonCode reasonCode, int returnCode)
    {
        Assert.That(Wire.Encode(new ConnAckPacket { ReasonCode = reasonCode }, V311)[3], Is.EqualTo(returnCode));
    }
}

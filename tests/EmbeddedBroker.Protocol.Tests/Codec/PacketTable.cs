using EmbeddedBroker.Protocol.Packets;
using static EmbeddedBroker.Protocol.MqttProtocolVersion;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>
/// One row: a packet, the version, and the bytes the spec prescribes for it, written by hand
/// ('text' is ASCII, the rest hex). Remaining lengths are counted in the comments where they are not obvious.
/// </summary>
public sealed record PacketCase(string Name, MqttProtocolVersion Version, MqttPacket Packet, string Bytes)
{
    public override string ToString() => Name;
}

/// <summary>Every packet type in every version, both directions (the client and the broker share this codec).</summary>
public static class PacketTable
{
    private static readonly MqttProtocolVersion[] LegacyVersions = [V310, V311];
    private static readonly MqttProtocolVersion[] AllVersions = [V310, V311, V500];

    /// <summary>Rows that must encode to exactly these bytes and decode back to exactly this packet.</summary>
    public static IEnumerable<PacketCase> RoundTrip()
    {
        // ---- CONNECT (3.1.2 / 3.1.3) ----
        yield return new("CONNECT 3.1.1 minimal, clean session, keep alive 60", V311,
            new ConnectPacket { ClientId = "test", KeepAliveSeconds = 60 },
            "10 10 00 04 'MQTT' 04 02 00 3C 00 04 'test'");
        yield return new("CONNECT 3.1 minimal uses protocol name MQIsdp level 3", V310,
            new ConnectPacket { ProtocolName = "MQIsdp", ProtocolLevel = 3, ClientId = "test", KeepAliveSeconds = 60 },
            "10 12 00 06 'MQIsdp' 03 02 00 3C 00 04 'test'");
        yield return new("CONNECT 3.1.1 with will QoS 1 retain, user name and password, persistent session", V311,
            new ConnectPacket
            {
                ClientId = "c1", CleanSession = false, KeepAliveSeconds = 10, Username = "u", Password = "p"u8.ToArray(),
                Will = new MqttWill { Topic = "w", Payload = "bye"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce, Retain = true },
            },
            "10 1C 00 04 'MQTT' 04 EC 00 0A 00 02 'c1' 00 01 'w' 00 03 'bye' 00 01 'u' 00 01 'p'");
        yield return new("CONNECT 3.1 with will, user name and password", V310,
            new ConnectPacket
            {
                ProtocolName = "MQIsdp", ProtocolLevel = 3,
                ClientId = "c1", CleanSession = false, KeepAliveSeconds = 10, Username = "u", Password = "p"u8.ToArray(),
                Will = new MqttWill { Topic = "w", Payload = "bye"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce, Retain = true },
            },
            "10 1E 00 06 'MQIsdp' 03 EC 00 0A 00 02 'c1' 00 01 'w' 00 03 'bye' 00 01 'u' 00 01 'p'");
        yield return new("CONNECT 3.1.1 empty client id", V311,
            new ConnectPacket { ClientId = "", KeepAliveSeconds = 0 },
            "10 0C 00 04 'MQTT' 04 02 00 00 00 00");
        yield return new("CONNECT 5.0 minimal has an empty property block", V500,
            new ConnectPacket { ProtocolLevel = 5, ClientId = "test", KeepAliveSeconds = 60 },
            "10 11 00 04 'MQTT' 05 02 00 3C 00 00 04 'test'");
        yield return new("CONNECT 5.0 password without user name is allowed (3.1.2.9)", V500,
            new ConnectPacket { ProtocolLevel = 5, ClientId = "c", Password = "p"u8.ToArray() },
            "10 11 00 04 'MQTT' 05 42 00 00 00 00 01 'c' 00 01 'p'");
        yield return new("CONNECT 5.0 with every CONNECT property and every will property", V500,
            new ConnectPacket
            {
                ProtocolLevel = 5, ClientId = "cid", KeepAliveSeconds = 30, Username = "user", Password = new byte[] { 1, 2, 3 },
                Properties = new MqttProperties
                {
                    SessionExpiryInterval = 120, AuthenticationMethod = "SCRAM", AuthenticationData = new byte[] { 1, 2 },
                    RequestProblemInformation = 0, RequestResponseInformation = 1, ReceiveMaximum = 20, TopicAliasMaximum = 10,
                    UserProperties = [new("a", "b")], MaximumPacketSize = 1024,
                },
                Will = new MqttWill
                {
                    Topic = "w/t", Payload = "hi"u8.ToArray(), Qos = MqttQualityOfService.ExactlyOnce,
                    Properties = new MqttProperties
                    {
                        PayloadFormatIndicator = 1, MessageExpiryInterval = 60, ContentType = "t", ResponseTopic = "r",
                        CorrelationData = new byte[] { 0xAA }, WillDelayInterval = 5, UserProperties = [new("k", "v")],
                    },
                },
            },
            // variable header 10 + property block 1+40; payload: client id 5, will properties 1+31, will topic 5,
            // will payload 4, user name 6, password 5 = 57; remaining length 108 = 0x6C.
            "10 6C 00 04 'MQTT' 05 D6 00 1E " +
            "28 11 00 00 00 78 15 00 05 'SCRAM' 16 00 02 01 02 17 00 19 01 21 00 14 22 00 0A 26 00 01 'a' 00 01 'b' 27 00 00 04 00 " +
            "00 03 'cid' " +
            "1F 01 01 02 00 00 00 3C 03 00 01 't' 08 00 01 'r' 09 00 01 AA 18 00 00 00 05 26 00 01 'k' 00 01 'v' " +
            "00 03 'w/t' 00 02 'hi' 00 04 'user' 00 03 01 02 03");

        // ---- CONNACK (3.2) ----
        yield return new("CONNACK 3.1.1 accepted with session present", V311,
            new ConnAckPacket { SessionPresent = true, ReasonCode = MqttReasonCode.Success }, "20 02 01 00");
        yield return new("CONNACK 3.1.1 bad user name or password is return code 4", V311,
            new ConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword }, "20 02 00 04");
        yield return new("CONNACK 3.1 accepted has no session present flag", V310,
            new ConnAckPacket { ReasonCode = MqttReasonCode.Success }, "20 02 00 00");
        yield return new("CONNACK 3.1 identifier rejected is return code 2", V310,
            new ConnAckPacket { ReasonCode = MqttReasonCode.ClientIdentifierNotValid }, "20 02 00 02");
        yield return new("CONNACK 5.0 success with session present and no properties", V500,
            new ConnAckPacket { SessionPresent = true }, "20 03 01 00 00");
        yield return new("CONNACK 5.0 not authorized 0x87", V500,
            new ConnAckPacket { ReasonCode = MqttReasonCode.NotAuthorized }, "20 03 00 87 00");
        yield return new("CONNACK 5.0 with every CONNACK property", V500,
            new ConnAckPacket
            {
                Properties = new MqttProperties
                {
                    SessionExpiryInterval = 0, AssignedClientIdentifier = "auto-1", ServerKeepAlive = 30, AuthenticationMethod = "m",
                    AuthenticationData = Array.Empty<byte>(), ResponseInformation = "ri", ServerReference = "sr", ReasonString = "ok",
                    ReceiveMaximum = 100, TopicAliasMaximum = 5, MaximumQos = 1, RetainAvailable = 0, UserProperties = [new("x", "y")],
                    MaximumPacketSize = 65536, WildcardSubscriptionAvailable = 1, SubscriptionIdentifiersAvailable = 0,
                    SharedSubscriptionAvailable = 1,
                },
            },
            // flags, reason code, property block 1+67: remaining length 70 = 0x46.
            "20 46 00 00 43 11 00 00 00 00 12 00 06 'auto-1' 13 00 1E 15 00 01 'm' 16 00 00 1A 00 02 'ri' 1C 00 02 'sr' " +
            "1F 00 02 'ok' 21 00 64 22 00 05 24 01 25 00 26 00 01 'x' 00 01 'y' 27 00 01 00 00 28 01 29 00 2A 01");

        // ---- PUBLISH (3.3) ----
        foreach (var version in LegacyVersions)
        {
            yield return new($"PUBLISH {Name(version)} QoS 0", version,
                new PublishPacket { Topic = "a/b", Payload = "hello"u8.ToArray() }, "30 0A 00 03 'a/b' 'hello'");
            yield return new($"PUBLISH {Name(version)} QoS 0 empty payload", version,
                new PublishPacket { Topic = "a/b" }, "30 05 00 03 'a/b'");
            yield return new($"PUBLISH {Name(version)} QoS 1 DUP RETAIN with packet id 10", version,
                new PublishPacket { Topic = "a/b", Payload = "hello"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce, Dup = true, Retain = true, PacketId = 10 },
                "3B 0C 00 03 'a/b' 00 0A 'hello'");
            yield return new($"PUBLISH {Name(version)} QoS 2 with packet id 0x1234", version,
                new PublishPacket { Topic = "a/b", Payload = "hello"u8.ToArray(), Qos = MqttQualityOfService.ExactlyOnce, PacketId = 0x1234 },
                "34 0C 00 03 'a/b' 12 34 'hello'");
        }
        yield return new("PUBLISH 3.1.1 payload of 200 bytes needs a two byte remaining length (205 = CD 01)", V311,
            new PublishPacket { Topic = "a/b", Payload = Enumerable.Repeat((byte)0x55, 200).ToArray() },
            "30 CD 01 00 03 'a/b' " + string.Join(' ', Enumerable.Repeat("55", 200)));
        yield return new("PUBLISH 3.1.1 payload of 20000 bytes (remaining 20005 = A5 9C 01) is written in chunks", V311,
            new PublishPacket { Topic = "a/b", Payload = Enumerable.Repeat((byte)0x66, 20000).ToArray() },
            "30 A5 9C 01 00 03 'a/b' " + string.Join(' ', Enumerable.Repeat("66", 20000)));
        yield return new("PUBLISH 3.1.1 UTF-8 topic keeps multi-byte characters (MQTT-1.5.3)", V311,
            new PublishPacket { Topic = "é/\uFEFF" }, "30 08 00 06 C3 A9 2F EF BB BF");
        yield return new("PUBLISH 5.0 QoS 0 without properties", V500,
            new PublishPacket { Topic = "a/b", Payload = "hello"u8.ToArray() }, "30 0B 00 03 'a/b' 00 'hello'");
        yield return new("PUBLISH 5.0 QoS 1 with every PUBLISH property and two subscription identifiers", V500,
            new PublishPacket
            {
                Topic = "a/b", Payload = "hello"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce, PacketId = 7,
                Properties = new MqttProperties
                {
                    PayloadFormatIndicator = 1, MessageExpiryInterval = 3600, ContentType = "text", ResponseTopic = "resp",
                    CorrelationData = new byte[] { 1, 2 }, SubscriptionIdentifiers = [1, 128], TopicAlias = 1,
                    UserProperties = [new("k", "v")],
                },
            },
            // topic 5, packet id 2, property block 1+41, payload 5: remaining length 54 = 0x36.
            "32 36 00 03 'a/b' 00 07 29 01 01 02 00 00 0E 10 03 00 04 'text' 08 00 04 'resp' 09 00 02 01 02 0B 01 0B 80 01 " +
            "23 00 01 26 00 01 'k' 00 01 'v' 'hello'");
        yield return new("PUBLISH 5.0 empty topic name with a topic alias (3.3.2.3.4)", V500,
            new PublishPacket { Topic = "", Payload = "x"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 5 } },
            "30 07 00 00 03 23 00 05 'x'");

        // ---- PUBACK, PUBREC, PUBREL, PUBCOMP (3.4 - 3.7) ----
        foreach (var version in AllVersions)
        {
            yield return new($"PUBACK {Name(version)} packet id 10", version, new PubAckPacket { PacketId = 10 }, "40 02 00 0A");
            yield return new($"PUBREC {Name(version)} packet id 10", version, new PubRecPacket { PacketId = 10 }, "50 02 00 0A");
            yield return new($"PUBREL {Name(version)} packet id 10 has flags 0010 (MQTT-3.6.1-1)", version, new PubRelPacket { PacketId = 10 }, "62 02 00 0A");
            yield return new($"PUBCOMP {Name(version)} packet id 10", version, new PubCompPacket { PacketId = 10 }, "70 02 00 0A");
        }
        yield return new("PUBACK 5.0 no matching subscribers 0x10 without properties", V500,
            new PubAckPacket { PacketId = 10, ReasonCode = MqttReasonCode.NoMatchingSubscribers }, "40 03 00 0A 10");
        yield return new("PUBACK 5.0 not authorized with reason string", V500,
            new PubAckPacket { PacketId = 10, ReasonCode = MqttReasonCode.NotAuthorized, Properties = new MqttProperties { ReasonString = "no" } },
            "40 09 00 0A 87 05 1F 00 02 'no'");
        yield return new("PUBREC 5.0 unspecified error with user property", V500,
            new PubRecPacket { PacketId = 10, ReasonCode = MqttReasonCode.UnspecifiedError, Properties = new MqttProperties { UserProperties = [new("a", "b")] } },
            "50 0B 00 0A 80 07 26 00 01 'a' 00 01 'b'");
        yield return new("PUBREL 5.0 packet identifier not found 0x92", V500,
            new PubRelPacket { PacketId = 10, ReasonCode = MqttReasonCode.PacketIdentifierNotFound }, "62 03 00 0A 92");
        yield return new("PUBCOMP 5.0 success with reason string keeps the reason code byte", V500,
            new PubCompPacket { PacketId = 10, Properties = new MqttProperties { ReasonString = "ok" } },
            "70 09 00 0A 00 05 1F 00 02 'ok'");

        // ---- SUBSCRIBE / SUBACK (3.8, 3.9) ----
        foreach (var version in LegacyVersions)
        {
            yield return new($"SUBSCRIBE {Name(version)} two filters QoS 1 and 2, flags 0010 (MQTT-3.8.1-1)", version,
                new SubscribePacket
                {
                    PacketId = 1,
                    Subscriptions = [new("a/b", MqttQualityOfService.AtLeastOnce), new("c/#", MqttQualityOfService.ExactlyOnce)],
                },
                "82 0E 00 01 00 03 'a/b' 01 00 03 'c/#' 02");
            yield return new($"SUBACK {Name(version)} granted 1, 2, failure 0x80, granted 0", version,
                new SubAckPacket
                {
                    PacketId = 1,
                    ReasonCodes = [MqttReasonCode.GrantedQos1, MqttReasonCode.GrantedQos2, MqttReasonCode.UnspecifiedError, MqttReasonCode.Success],
                },
                "90 06 00 01 01 02 80 00");
        }
        yield return new("SUBSCRIBE 5.0 with subscription identifier, user property and every subscription option", V500,
            new SubscribePacket
            {
                PacketId = 2,
                Properties = new MqttProperties { SubscriptionIdentifiers = [5], UserProperties = [new("a", "b")] },
                Subscriptions =
                [
                    new("a/+", MqttQualityOfService.AtLeastOnce, NoLocal: true, RetainAsPublished: true, RetainHandling: MqttRetainHandling.DoNotSend),
                    new("$share/g/x", MqttQualityOfService.AtMostOnce, RetainHandling: MqttRetainHandling.SendAtSubscribeIfNew),
                ],
            },
            "82 1F 00 02 09 0B 05 26 00 01 'a' 00 01 'b' 00 03 'a/+' 2D 00 0A '$share/g/x' 10");
        yield return new("SUBACK 5.0 with reason string and 5.0-only failure codes", V500,
            new SubAckPacket
            {
                PacketId = 2, Properties = new MqttProperties { ReasonString = "r" },
                ReasonCodes = [MqttReasonCode.GrantedQos1, MqttReasonCode.TopicFilterInvalid, MqttReasonCode.WildcardSubscriptionsNotSupported],
            },
            "90 0A 00 02 04 1F 00 01 'r' 01 8F A2");

        // ---- UNSUBSCRIBE / UNSUBACK (3.10, 3.11) ----
        foreach (var version in LegacyVersions)
        {
            yield return new($"UNSUBSCRIBE {Name(version)} two filters, flags 0010 (MQTT-3.10.1-1)", version,
                new UnsubscribePacket { PacketId = 3, TopicFilters = ["a/b", "c"] }, "A2 0A 00 03 00 03 'a/b' 00 01 'c'");
            yield return new($"UNSUBACK {Name(version)} carries only the packet id", version,
                new UnsubAckPacket { PacketId = 3 }, "B0 02 00 03");
        }
        yield return new("UNSUBSCRIBE 5.0 with user property", V500,
            new UnsubscribePacket { PacketId = 3, TopicFilters = ["a/b"], Properties = new MqttProperties { UserProperties = [new("a", "b")] } },
            "A2 0F 00 03 07 26 00 01 'a' 00 01 'b' 00 03 'a/b'");
        yield return new("UNSUBACK 5.0 success and no subscription existed", V500,
            new UnsubAckPacket { PacketId = 3, ReasonCodes = [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] },
            "B0 05 00 03 00 00 11");
        yield return new("UNSUBACK 5.0 not authorized with reason string", V500,
            new UnsubAckPacket { PacketId = 3, ReasonCodes = [MqttReasonCode.NotAuthorized], Properties = new MqttProperties { ReasonString = "r" } },
            "B0 08 00 03 04 1F 00 01 'r' 87");

        // ---- PINGREQ, PINGRESP, DISCONNECT, AUTH (3.12 - 3.15) ----
        foreach (var version in AllVersions)
        {
            yield return new($"PINGREQ {Name(version)}", version, PingReqPacket.Instance, "C0 00");
            yield return new($"PINGRESP {Name(version)}", version, PingRespPacket.Instance, "D0 00");
            yield return new($"DISCONNECT {Name(version)} normal is empty", version, new DisconnectPacket(), "E0 00");
        }
        yield return new("DISCONNECT 5.0 with will message 0x04 and no properties", V500,
            new DisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage }, "E0 01 04");
        yield return new("DISCONNECT 5.0 session taken over with session expiry, server reference and reason string", V500,
            new DisconnectPacket
            {
                ReasonCode = MqttReasonCode.SessionTakenOver,
                Properties = new MqttProperties { SessionExpiryInterval = 0, ServerReference = "s2", ReasonString = "bye" },
            },
            "E0 12 8E 10 11 00 00 00 00 1C 00 02 's2' 1F 00 03 'bye'");
        yield return new("AUTH 5.0 success is empty", V500, new AuthPacket(), "F0 00");
        yield return new("AUTH 5.0 continue authentication without properties", V500,
            new AuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication }, "F0 01 18");
        yield return new("AUTH 5.0 continue authentication with method and data", V500,
            new AuthPacket
            {
                ReasonCode = MqttReasonCode.ContinueAuthentication,
                Properties = new MqttProperties { AuthenticationMethod = "SCRAM", AuthenticationData = new byte[] { 1 } },
            },
            "F0 0E 18 0C 15 00 05 'SCRAM' 16 00 01 01");
    }

    /// <summary>Valid encodings a peer may send that our encoder writes shorter (or never writes).</summary>
    public static IEnumerable<PacketCase> DecodeOnly()
    {
        yield return new("PUBLISH 3.1 QoS 0 with DUP set is accepted (3.1 did not forbid it)", V310,
            new PublishPacket { Topic = "a/b", Payload = "hello"u8.ToArray(), Dup = true }, "38 0A 00 03 'a/b' 'hello'");
        yield return new("PUBACK 5.0 with explicit success and empty property block", V500,
            new PubAckPacket { PacketId = 10 }, "40 04 00 0A 00 00");
        yield return new("PUBACK 5.0 with explicit success and no property block", V500,
            new PubAckPacket { PacketId = 10 }, "40 03 00 0A 00");
        yield return new("DISCONNECT 5.0 with explicit success and empty property block", V500,
            new DisconnectPacket(), "E0 02 00 00");
        yield return new("AUTH 5.0 re-authenticate with empty property block", V500,
            new AuthPacket { ReasonCode = MqttReasonCode.ReAuthenticate }, "F0 02 19 00");
        yield return new("PUBLISH 3.1.1 non-minimal remaining length 0x85 0x00 = 5 is accepted (MQTT-1.5.5-1 binds senders)", V311,
            new PublishPacket { Topic = "a/b" }, "30 85 00 00 03 'a/b'");
        yield return new("CONNACK 3.1 ignores the unused first byte", V310,
            new ConnAckPacket { ReasonCode = MqttReasonCode.Success }, "20 02 01 00");
        yield return new("CONNACK 3.1.1 return code 3 reads as server unavailable 0x88", V311,
            new ConnAckPacket { ReasonCode = MqttReasonCode.ServerUnavailable }, "20 02 00 03");
        yield return new("CONNECT 5.0 user property may repeat, same name twice kept in order (3.1.2.11.8)", V500,
            new ConnectPacket { ProtocolLevel = 5, ClientId = "c", Properties = new MqttProperties { UserProperties = [new("k", "1"), new("k", "2")] } },
            "10 1C 00 04 'MQTT' 05 02 00 00 0E 26 00 01 'k' 00 01 '1' 26 00 01 'k' 00 01 '2' 00 01 'c'");
    }

    /// <summary>Packets the 5.0-speaking engine hands over for an older client: what does not fit the version is dropped or mapped.</summary>
    public static IEnumerable<PacketCase> EncodeOnly()
    {
        var properties = new MqttProperties { ReasonString = "dropped" };
        foreach (var version in LegacyVersions)
        {
            yield return new($"PUBACK {Name(version)} drops the 5.0 reason code and properties", version,
                new PubAckPacket { PacketId = 1, ReasonCode = MqttReasonCode.NoMatchingSubscribers, Properties = properties }, "40 02 00 01");
            yield return new($"UNSUBACK {Name(version)} drops the 5.0 reason codes", version,
                new UnsubAckPacket { PacketId = 1, ReasonCodes = [MqttReasonCode.NoSubscriptionExisted] }, "B0 02 00 01");
            yield return new($"DISCONNECT {Name(version)} drops the 5.0 reason code", version,
                new DisconnectPacket { ReasonCode = MqttReasonCode.SessionTakenOver }, "E0 00");
            yield return new($"SUBACK {Name(version)} maps 5.0-only failures to 0x80 (MQTT-3.9.3-2)", version,
                new SubAckPacket { PacketId = 1, ReasonCodes = [MqttReasonCode.TopicFilterInvalid, MqttReasonCode.QuotaExceeded, MqttReasonCode.GrantedQos1] },
                "90 05 00 01 80 80 01");
            yield return new($"SUBSCRIBE {Name(version)} drops 5.0 subscription options", version,
                new SubscribePacket { PacketId = 1, Subscriptions = [new("a", MqttQualityOfService.AtLeastOnce, NoLocal: true, RetainAsPublished: true, RetainHandling: MqttRetainHandling.DoNotSend)] },
                "82 06 00 01 00 01 'a' 01");
            yield return new($"PUBLISH {Name(version)} drops 5.0 properties", version,
                new PublishPacket { Topic = "t", Properties = new MqttProperties { MessageExpiryInterval = 5 } }, "30 03 00 01 't'");
            yield return new($"CONNACK {Name(version)} server busy 0x89 is return code 3", version,
                new ConnAckPacket { ReasonCode = MqttReasonCode.ServerBusy }, "20 02 00 03");
        }
        yield return new("CONNACK 3.1 never writes session present", V310,
            new ConnAckPacket { SessionPresent = true }, "20 02 00 00");
        yield return new("CONNECT 3.1.1 uses the version's protocol level, not the packet's", V311,
            new ConnectPacket { ProtocolLevel = 5, ClientId = "test", KeepAliveSeconds = 60 },
            "10 10 00 04 'MQTT' 04 02 00 3C 00 04 'test'");
    }

    private static string Name(MqttProtocolVersion version) => version switch
    {
        V310 => "3.1",
        V311 => "3.1.1",
        _ => "5.0",
    };
}

using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// Valid packets a client may send, of every type and version, with random content and options: the steps between
/// the malformed ones, and the originals the blind mutations start from.
/// </summary>
internal static class ValidPackets
{
    /// <summary>Our Maximum Packet Size towards the broker (MQTT 5): the broker must never send more (MQTT-3.1.2-24).</summary>
    public const uint ClientMaximumPacketSize = 256 * 1024;

    public static ConnectPacket Connect(SessionModel s, bool withWill)
    {
        var v5 = s.IsV5;
        var hasUser = s.Chance(0.3);
        var properties = MqttProperties.Empty;
        if (v5)
        {
            s.HasSessionExpiry = s.Chance(0.2);
            properties = new MqttProperties
            {
                SessionExpiryInterval = s.HasSessionExpiry ? (uint)s.Random.Next(1, 3) : null, // seconds: the test broker caps it anyway
                ReceiveMaximum = s.Chance(0.3) ? (ushort)s.Random.Next(1, 100) : null,
                MaximumPacketSize = ClientMaximumPacketSize,
                TopicAliasMaximum = s.Chance(0.5) ? (ushort)s.Random.Next(0, 20) : null,
                RequestProblemInformation = s.Chance(0.2) ? (byte)s.Random.Next(2) : null,
                RequestResponseInformation = s.Chance(0.2) ? (byte)s.Random.Next(2) : null,
                UserProperties = s.Chance(0.2) ? [new MqttUserProperty("k", s.Level())] : null,
            };
        }

        return new ConnectPacket
        {
            ProtocolName = s.Version == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT",
            ProtocolLevel = (byte)s.Version,
            ClientId = s.ClientId,
            CleanSession = true, // fuzz sessions must not outlive their connection (3.1.x has no expiry of its own)
            KeepAliveSeconds = (ushort)(s.Chance(0.5) ? 0 : s.Random.Next(30, 600)),
            Username = hasUser ? "user-" + s.Level() : null,
            Password = hasUser && s.Chance(0.7) ? (ReadOnlyMemory<byte>?)s.RandomBytes(0, 32) : null,
            Will = withWill ? Will(s) : null,
            Properties = properties,
        };
    }

    private static MqttWill Will(SessionModel s) => new()
    {
        Topic = s.TopicRoot + "/will",
        Payload = s.RandomBytes(0, 64),
        Qos = (MqttQualityOfService)s.Random.Next(3),
        Retain = false,
        Properties = s.IsV5 && s.Chance(0.5) ? new MqttProperties { WillDelayInterval = (uint)s.Random.Next(0, 2), ContentType = "text/plain" } : MqttProperties.Empty,
    };

    /// <summary>A valid packet after CONNACK; <paramref name="kind"/> names it for the report.</summary>
    public static MqttPacket Next(SessionModel s, out string kind)
    {
        var roll = s.Random.Next(100);
        switch (roll)
        {
            case < 45:
                kind = "valid PUBLISH";
                return Publish(s);
            case < 60:
                kind = "valid SUBSCRIBE";
                return Subscribe(s);
            case < 68:
                kind = "valid UNSUBSCRIBE";
                return new UnsubscribePacket { PacketId = s.PacketId(), TopicFilters = [s.TopicRoot + "/#", s.Topic()], Properties = UserProperties(s) };
            case < 90:
                kind = "valid acknowledgement for an unknown packet id";
                return Acknowledgement(s);
            default:
                kind = "valid PINGREQ";
                return PingReqPacket.Instance;
        }
    }

    public static PublishPacket Publish(SessionModel s)
    {
        var qos = (MqttQualityOfService)s.Random.Next(3);
        var topic = s.Topic();
        var payload = s.Chance(0.02) ? s.RandomBytes(2_000, 8_000) : s.RandomBytes(0, 200);
        var properties = MqttProperties.Empty;
        if (s.IsV5 && s.Chance(0.6))
        {
            ushort? alias = null;
            if (s.Limits.TopicAliasMaximum > 0 && s.Chance(0.3))
            {
                alias = (ushort)s.Random.Next(1, s.Limits.TopicAliasMaximum + 1);
                if (s.DefinedAliases.Contains(alias.Value) && s.Chance(0.5))
                    topic = ""; // use the alias alone (3.3.2.3.4)
                else
                    s.DefineAlias(alias.Value);
            }

            var text = s.Chance(0.3);
            if (text)
                payload = Encoding.UTF8.GetBytes(s.Level());
            properties = new MqttProperties
            {
                PayloadFormatIndicator = text ? (byte)1 : s.Chance(0.2) ? (byte)0 : null,
                MessageExpiryInterval = s.Chance(0.2) ? (uint)s.Random.Next(1, 3600) : null,
                ContentType = s.Chance(0.2) ? "application/x-fuzz" : null,
                ResponseTopic = s.Chance(0.2) ? s.Topic() : null,
                CorrelationData = s.Chance(0.2) ? (ReadOnlyMemory<byte>?)s.RandomBytes(0, 16) : null,
                TopicAlias = alias,
                UserProperties = UserProperties(s).UserProperties,
            };
        }

        var retain = s.Chance(0.05);
        if (retain && topic.Length > 0)
            topic = RetainedTopic(s); // a small shared set, so that a million packets do not retain a million messages
        return new PublishPacket
        {
            Topic = topic,
            Payload = payload,
            Qos = qos,
            Retain = retain,
            Dup = qos > MqttQualityOfService.AtMostOnce && s.Chance(0.1),
            PacketId = qos > MqttQualityOfService.AtMostOnce ? s.PacketId() : (ushort)0,
            Properties = properties,
        };
    }

    private static string RetainedTopic(SessionModel s) => "fuzz/retained/" + s.Random.Next(32).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static SubscribePacket Subscribe(SessionModel s)
    {
        string[] filters = [s.TopicRoot + "/#", s.TopicRoot + "/+", s.Topic(), s.TopicRoot + "/+/" + s.Level(), "$share/fuzz/" + s.TopicRoot + "/#"];
        var count = s.Random.Next(1, 4);
        var subscriptions = new List<MqttTopicSubscription>();
        for (var i = 0; i < count; i++)
        {
            var filter = s.Pick(filters);
            var shared = filter.StartsWith("$share/", StringComparison.Ordinal);
            subscriptions.Add(new MqttTopicSubscription(filter, (MqttQualityOfService)s.Random.Next(3),
                NoLocal: s.IsV5 && !shared && s.Chance(0.3), // MQTT-3.8.3-4: never on a shared subscription
                RetainAsPublished: s.IsV5 && s.Chance(0.3),
                RetainHandling: s.IsV5 ? (MqttRetainHandling)s.Random.Next(3) : MqttRetainHandling.SendAtSubscribe));
        }

        var properties = UserProperties(s);
        if (s.IsV5 && s.Chance(0.3))
            properties = properties with { SubscriptionIdentifiers = [(uint)s.Random.Next(1, 268_435_455)] };
        return new SubscribePacket { PacketId = s.PacketId(), Subscriptions = subscriptions, Properties = properties };
    }

    private static MqttPacket Acknowledgement(SessionModel s)
    {
        var id = s.StrayPacketId();
        return s.Random.Next(4) switch
        {
            0 => new PubAckPacket { PacketId = id, ReasonCode = AckCode(s) },
            1 => new PubRecPacket { PacketId = id, ReasonCode = AckCode(s) },
            2 => new PubRelPacket { PacketId = id },
            _ => new PubCompPacket { PacketId = id },
        };
    }

    private static MqttReasonCode AckCode(SessionModel s) =>
        s.IsV5 && s.Chance(0.2) ? s.Pick([MqttReasonCode.NoMatchingSubscribers, MqttReasonCode.UnspecifiedError, MqttReasonCode.NotAuthorized]) : MqttReasonCode.Success;

    private static MqttProperties UserProperties(SessionModel s) =>
        s.IsV5 && s.Chance(0.2) ? new MqttProperties { UserProperties = [new MqttUserProperty(s.Level(), s.Level())] } : MqttProperties.Empty;
}

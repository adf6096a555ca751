using EmbeddedBroker.Protocol.Reading;

namespace EmbeddedBroker.Protocol.Properties;

/// <summary>
/// Reads a 5.0 property block (section 2.2.2): Property Length as a variable byte integer, then identifier/value pairs
/// that must fill exactly that length. Enforces the per-packet allow-list, the no-duplicates rule and the value ranges
/// the spec calls a protocol error. Returns the shared <see cref="MqttProperties.Empty"/> for an empty block.
/// </summary>
internal static class MqttPropertiesReader
{
    public static MqttProperties Read(ref MqttReader reader, MqttPropertyContext context)
    {
        var length = reader.ReadVariableByteInteger();
        if (length == 0)
        {
            return MqttProperties.Empty;
        }
        var block = reader.ReadSubReader(length);
        var properties = new Builder();
        while (!block.End)
        {
            ReadOne(ref block, properties, context);
        }
        return properties.Build();
    }

    private static void ReadOne(ref MqttReader block, Builder p, MqttPropertyContext context)
    {
        // The identifier is a variable byte integer (2.2.2.2), in practice always one byte.
        var rawId = block.ReadVariableByteInteger();
        var id = (MqttPropertyId)rawId;
        if (rawId > byte.MaxValue || !MqttPropertyRules.IsAllowed(id, context))
        {
            throw new MalformedPacketException($"property 0x{rawId:X2} not allowed on {context}");
        }
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = Once(p.PayloadFormatIndicator, PayloadFormat(block.ReadByte()), id); break;
            case MqttPropertyId.MessageExpiryInterval: p.MessageExpiryInterval = Once(p.MessageExpiryInterval, block.ReadUInt32(), id); break;
            case MqttPropertyId.ContentType: p.ContentType = OnceRef(p.ContentType, block.ReadString(), id); break;
            case MqttPropertyId.ResponseTopic: p.ResponseTopic = OnceRef(p.ResponseTopic, block.ReadString(), id); break;
            case MqttPropertyId.CorrelationData: p.CorrelationData = Once(p.CorrelationData, new ReadOnlyMemory<byte>(block.ReadBinary()), id); break;
            case MqttPropertyId.SubscriptionIdentifier: ReadSubscriptionIdentifier(ref block, p, context); break;
            case MqttPropertyId.SessionExpiryInterval: p.SessionExpiryInterval = Once(p.SessionExpiryInterval, block.ReadUInt32(), id); break;
            case MqttPropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = OnceRef(p.AssignedClientIdentifier, block.ReadString(), id); break;
            case MqttPropertyId.ServerKeepAlive: p.ServerKeepAlive = Once(p.ServerKeepAlive, block.ReadUInt16(), id); break;
            case MqttPropertyId.AuthenticationMethod: p.AuthenticationMethod = OnceRef(p.AuthenticationMethod, block.ReadString(), id); break;
            case MqttPropertyId.AuthenticationData: p.AuthenticationData = Once(p.AuthenticationData, new ReadOnlyMemory<byte>(block.ReadBinary()), id); break;
            case MqttPropertyId.RequestProblemInformation: p.RequestProblemInformation = Once(p.RequestProblemInformation, ZeroOrOne(block.ReadByte(), id), id); break;
            case MqttPropertyId.WillDelayInterval: p.WillDelayInterval = Once(p.WillDelayInterval, block.ReadUInt32(), id); break;
            case MqttPropertyId.RequestResponseInformation: p.RequestResponseInformation = Once(p.RequestResponseInformation, ZeroOrOne(block.ReadByte(), id), id); break;
            case MqttPropertyId.ResponseInformation: p.ResponseInformation = OnceRef(p.ResponseInformation, block.ReadString(), id); break;
            case MqttPropertyId.ServerReference: p.ServerReference = OnceRef(p.ServerReference, block.ReadString(), id); break;
            case MqttPropertyId.ReasonString: p.ReasonString = OnceRef(p.ReasonString, block.ReadString(), id); break;
            case MqttPropertyId.ReceiveMaximum: p.ReceiveMaximum = Once(p.ReceiveMaximum, NonZero(block.ReadUInt16(), id), id); break;
            case MqttPropertyId.TopicAliasMaximum: p.TopicAliasMaximum = Once(p.TopicAliasMaximum, block.ReadUInt16(), id); break;
            case MqttPropertyId.TopicAlias: p.TopicAlias = Once(p.TopicAlias, block.ReadUInt16(), id); break; // 0: the broker answers 0x94
            case MqttPropertyId.MaximumQos: p.MaximumQos = Once(p.MaximumQos, ZeroOrOne(block.ReadByte(), id), id); break;
            case MqttPropertyId.RetainAvailable: p.RetainAvailable = Once(p.RetainAvailable, ZeroOrOne(block.ReadByte(), id), id); break;
            case MqttPropertyId.UserProperty:
                var name = block.ReadString();
                (p.UserProperties ??= []).Add(new MqttUserProperty(name, block.ReadString()));
                break;
            case MqttPropertyId.MaximumPacketSize: p.MaximumPacketSize = Once(p.MaximumPacketSize, NonZero(block.ReadUInt32(), id), id); break;
            case MqttPropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = Once(p.WildcardSubscriptionAvailable, ZeroOrOne(block.ReadByte(), id), id); break;
            case MqttPropertyId.SubscriptionIdentifiersAvailable: p.SubscriptionIdentifiersAvailable = Once(p.SubscriptionIdentifiersAvailable, ZeroOrOne(block.ReadByte(), id), id); break;
            case MqttPropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = Once(p.SharedSubscriptionAvailable, ZeroOrOne(block.ReadByte(), id), id); break;
            default: throw new MalformedPacketException($"unknown property 0x{rawId:X2}");
        }
    }

    /// <summary>Repeatable on PUBLISH (one per matching subscription, 3.3.2.3.8), once on SUBSCRIBE; 0 is a protocol error (3.8.2.1.2).</summary>
    private static void ReadSubscriptionIdentifier(ref MqttReader block, Builder p, MqttPropertyContext context)
    {
        var value = block.ReadVariableByteInteger();
        if (value == 0)
        {
            throw new ProtocolErrorException("subscription identifier 0 (3.8.2.1.2)");
        }
        if (context == MqttPropertyContext.Subscribe && p.SubscriptionIdentifiers is { Count: > 0 })
        {
            throw new ProtocolErrorException("duplicate property 0x0B");
        }
        (p.SubscriptionIdentifiers ??= []).Add((uint)value);
    }

    private static T OnceRef<T>(T? current, T value, MqttPropertyId id)
        where T : class
    {
        return current is null ? value : throw new ProtocolErrorException($"duplicate property 0x{(byte)id:X2} (2.2.2.2: a Protocol Error)");
    }

    private static T? Once<T>(T? current, T value, MqttPropertyId id)
        where T : struct
    {
        return current is null ? value : throw new ProtocolErrorException($"duplicate property 0x{(byte)id:X2} (2.2.2.2: a Protocol Error)");
    }

    /// <summary>Boolean-like byte properties accept only 0 and 1: "It is a Protocol Error to ... have a value other than 0
    /// or 1" (3.1.2.11.6, 3.1.2.11.7, 3.2.2.3.4, 3.2.2.3.5, 3.2.2.3.11 - 3.2.2.3.13).</summary>
    private static byte ZeroOrOne(byte value, MqttPropertyId id)
    {
        return value <= 1 ? value : throw new ProtocolErrorException($"property 0x{(byte)id:X2} value {value} is not 0 or 1 (a Protocol Error)");
    }

    /// <summary>Payload Format Indicator (3.3.2.3.2): 0 unspecified bytes, 1 UTF-8; the spec names no other value, and
    /// unlike the boolean properties does not call one a Protocol Error, so another value is simply malformed.</summary>
    private static byte PayloadFormat(byte value)
    {
        return value <= 1 ? value : throw new MalformedPacketException($"payload format indicator {value} is not 0 or 1 (3.3.2.3.2)");
    }

    /// <summary>Receive Maximum, Maximum Packet Size and Topic Alias must not be 0 (3.1.2.11.3, 3.1.2.11.4, 3.3.2.3.4).</summary>
    private static T NonZero<T>(T value, MqttPropertyId id)
        where T : struct, System.Numerics.INumber<T>
    {
        return value != T.Zero ? value : throw new ProtocolErrorException($"property 0x{(byte)id:X2} is 0 (a Protocol Error)");
    }

    /// <summary>The mutable side of reading: one field per property while the block is parsed, then one immutable instance.</summary>
    private sealed class Builder
    {
        public byte? PayloadFormatIndicator;
        public uint? MessageExpiryInterval;
        public string? ContentType;
        public string? ResponseTopic;
        public ReadOnlyMemory<byte>? CorrelationData;
        public List<uint>? SubscriptionIdentifiers;
        public uint? SessionExpiryInterval;
        public string? AssignedClientIdentifier;
        public ushort? ServerKeepAlive;
        public string? AuthenticationMethod;
        public ReadOnlyMemory<byte>? AuthenticationData;
        public byte? RequestProblemInformation;
        public uint? WillDelayInterval;
        public byte? RequestResponseInformation;
        public string? ResponseInformation;
        public string? ServerReference;
        public string? ReasonString;
        public ushort? ReceiveMaximum;
        public ushort? TopicAliasMaximum;
        public ushort? TopicAlias;
        public byte? MaximumQos;
        public byte? RetainAvailable;
        public List<MqttUserProperty>? UserProperties;
        public uint? MaximumPacketSize;
        public byte? WildcardSubscriptionAvailable;
        public byte? SubscriptionIdentifiersAvailable;
        public byte? SharedSubscriptionAvailable;

        public MqttProperties Build() => new()
        {
            PayloadFormatIndicator = PayloadFormatIndicator,
            MessageExpiryInterval = MessageExpiryInterval,
            ContentType = ContentType,
            ResponseTopic = ResponseTopic,
            CorrelationData = CorrelationData,
            SubscriptionIdentifiers = SubscriptionIdentifiers,
            SessionExpiryInterval = SessionExpiryInterval,
            AssignedClientIdentifier = AssignedClientIdentifier,
            ServerKeepAlive = ServerKeepAlive,
            AuthenticationMethod = AuthenticationMethod,
            AuthenticationData = AuthenticationData,
            RequestProblemInformation = RequestProblemInformation,
            WillDelayInterval = WillDelayInterval,
            RequestResponseInformation = RequestResponseInformation,
            ResponseInformation = ResponseInformation,
            ServerReference = ServerReference,
            ReasonString = ReasonString,
            ReceiveMaximum = ReceiveMaximum,
            TopicAliasMaximum = TopicAliasMaximum,
            TopicAlias = TopicAlias,
            MaximumQos = MaximumQos,
            RetainAvailable = RetainAvailable,
            UserProperties = UserProperties,
            MaximumPacketSize = MaximumPacketSize,
            WildcardSubscriptionAvailable = WildcardSubscriptionAvailable,
            SubscriptionIdentifiersAvailable = SubscriptionIdentifiersAvailable,
            SharedSubscriptionAvailable = SharedSubscriptionAvailable,
        };
    }
}

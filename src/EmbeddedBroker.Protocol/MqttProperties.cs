using System.Collections.ObjectModel;

namespace EmbeddedBroker.Protocol;

/// <summary>
/// MQTT 5.0 properties (section 2.2.2). One immutable type for every packet: each packet uses the subset the spec
/// allows, and the codec rejects a property that is not allowed on the packet it arrives in. Null means absent.
/// Packets of 3.1/3.1.1 always carry <see cref="Empty"/>-equivalent (no) properties.
/// <para>
/// Immutable so that one message can be shared by every subscriber queue, the retained store, observers and hooks:
/// values are init-only and the two lists are copied into read-only collections when set, so nobody holding a message
/// can change what another holder sees. Derive a changed copy with <c>with</c> or <see cref="ForPublication"/>.
/// </para>
/// </summary>
public sealed record MqttProperties
{
    private readonly ReadOnlyCollection<uint>? _subscriptionIdentifiers;
    private readonly ReadOnlyCollection<MqttUserProperty>? _userProperties;

    public static MqttProperties Empty { get; } = new();

    public byte? PayloadFormatIndicator { get; init; }              // 0x01
    public uint? MessageExpiryInterval { get; init; }               // 0x02
    public string? ContentType { get; init; }                       // 0x03
    public string? ResponseTopic { get; init; }                     // 0x08
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }     // 0x09

    /// <summary>0x0B, repeatable on PUBLISH (one per matching subscription, 3.3.2.3.8), once on SUBSCRIBE.</summary>
    public IReadOnlyList<uint>? SubscriptionIdentifiers
    {
        get => _subscriptionIdentifiers;
        init => _subscriptionIdentifiers = ReadOnly(value);
    }

    public uint? SessionExpiryInterval { get; init; }               // 0x11
    public string? AssignedClientIdentifier { get; init; }          // 0x12
    public ushort? ServerKeepAlive { get; init; }                   // 0x13
    public string? AuthenticationMethod { get; init; }              // 0x15
    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }  // 0x16
    public byte? RequestProblemInformation { get; init; }           // 0x17
    public uint? WillDelayInterval { get; init; }                   // 0x18
    public byte? RequestResponseInformation { get; init; }          // 0x19
    public string? ResponseInformation { get; init; }               // 0x1A
    public string? ServerReference { get; init; }                   // 0x1C
    public string? ReasonString { get; init; }                      // 0x1F
    public ushort? ReceiveMaximum { get; init; }                    // 0x21
    public ushort? TopicAliasMaximum { get; init; }                 // 0x22
    public ushort? TopicAlias { get; init; }                        // 0x23
    public byte? MaximumQos { get; init; }                          // 0x24
    public byte? RetainAvailable { get; init; }                     // 0x25

    /// <summary>0x26: name/value pairs; order and duplicates are preserved (3.3.2.3.7).</summary>
    public IReadOnlyList<MqttUserProperty>? UserProperties
    {
        get => _userProperties;
        init => _userProperties = ReadOnly(value);
    }

    public uint? MaximumPacketSize { get; init; }                   // 0x27
    public byte? WildcardSubscriptionAvailable { get; init; }       // 0x28
    public byte? SubscriptionIdentifiersAvailable { get; init; }    // 0x29
    public byte? SharedSubscriptionAvailable { get; init; }         // 0x2A

    /// <summary>True when no property is set (encodes as a zero property length).</summary>
    public bool IsEmpty =>
        PayloadFormatIndicator is null && MessageExpiryInterval is null && ContentType is null &&
        ResponseTopic is null && CorrelationData is null && SubscriptionIdentifiers is not { Count: > 0 } &&
        SessionExpiryInterval is null && AssignedClientIdentifier is null && ServerKeepAlive is null &&
        AuthenticationMethod is null && AuthenticationData is null && RequestProblemInformation is null &&
        WillDelayInterval is null && RequestResponseInformation is null && ResponseInformation is null &&
        ServerReference is null && ReasonString is null && ReceiveMaximum is null && TopicAliasMaximum is null &&
        TopicAlias is null && MaximumQos is null && RetainAvailable is null && UserProperties is not { Count: > 0 } &&
        MaximumPacketSize is null && WildcardSubscriptionAvailable is null &&
        SubscriptionIdentifiersAvailable is null && SharedSubscriptionAvailable is null;

    /// <summary>
    /// The properties a PUBLISH carrying this message forwards to subscribers: the application message's own ones
    /// (payload format MQTT-3.3.2-4, content type, response topic MQTT-3.3.2-15, correlation data MQTT-3.3.2-16, user
    /// properties MQTT-3.3.2-17) with the Message Expiry Interval given (what is left of it, MQTT-3.3.2-6) and the
    /// subscription identifiers of the receiving subscriptions (MQTT-3.3.4-3). Everything else (topic alias, a will's
    /// delay) belongs to one hop or to the broker and is dropped. Returns this instance when nothing changes.
    /// </summary>
    public MqttProperties ForPublication(uint? messageExpiryInterval, IReadOnlyList<uint>? subscriptionIdentifiers = null)
    {
        var onlyPublicationProperties = TopicAlias is null && WillDelayInterval is null && SubscriptionIdentifiers is null;
        if (onlyPublicationProperties && messageExpiryInterval == MessageExpiryInterval && subscriptionIdentifiers is null)
            return this;
        if (PayloadFormatIndicator is null && messageExpiryInterval is null && ContentType is null && ResponseTopic is null &&
            CorrelationData is null && UserProperties is null && subscriptionIdentifiers is null)
            return Empty;
        return new MqttProperties
        {
            PayloadFormatIndicator = PayloadFormatIndicator,
            MessageExpiryInterval = messageExpiryInterval,
            ContentType = ContentType,
            ResponseTopic = ResponseTopic,
            CorrelationData = CorrelationData,
            UserProperties = _userProperties,
            SubscriptionIdentifiers = subscriptionIdentifiers,
        };
    }

    /// <summary>Keeps an already read-only collection as it is (no copy when one message's lists are forwarded).</summary>
    private static ReadOnlyCollection<T>? ReadOnly<T>(IReadOnlyList<T>? value) => value switch
    {
        null => null,
        ReadOnlyCollection<T> readOnly => readOnly,
        _ => new ReadOnlyCollection<T>([.. value]),
    };
}

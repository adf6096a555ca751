namespace EmbeddedBroker.Protocol;

/// <summary>
/// MQTT 5.0 properties (section 2.2.2). One type for every packet: each packet uses the subset the
/// spec allows, and the codec rejects a property that is not allowed on the packet it arrives in.
/// Null means absent. Packets of 3.1/3.1.1 always carry <see cref="Empty"/>-equivalent (no) properties.
/// </summary>
public sealed class MqttProperties
{
    public static MqttProperties Empty { get; } = new();

    public byte? PayloadFormatIndicator { get; set; }              // 0x01
    public uint? MessageExpiryInterval { get; set; }               // 0x02
    public string? ContentType { get; set; }                       // 0x03
    public string? ResponseTopic { get; set; }                     // 0x08
    public ReadOnlyMemory<byte>? CorrelationData { get; set; }     // 0x09
    public List<uint>? SubscriptionIdentifiers { get; set; }       // 0x0B (repeatable on PUBLISH)
    public uint? SessionExpiryInterval { get; set; }               // 0x11
    public string? AssignedClientIdentifier { get; set; }          // 0x12
    public ushort? ServerKeepAlive { get; set; }                   // 0x13
    public string? AuthenticationMethod { get; set; }              // 0x15
    public ReadOnlyMemory<byte>? AuthenticationData { get; set; }  // 0x16
    public byte? RequestProblemInformation { get; set; }           // 0x17
    public uint? WillDelayInterval { get; set; }                   // 0x18
    public byte? RequestResponseInformation { get; set; }          // 0x19
    public string? ResponseInformation { get; set; }               // 0x1A
    public string? ServerReference { get; set; }                   // 0x1C
    public string? ReasonString { get; set; }                      // 0x1F
    public ushort? ReceiveMaximum { get; set; }                    // 0x21
    public ushort? TopicAliasMaximum { get; set; }                 // 0x22
    public ushort? TopicAlias { get; set; }                        // 0x23
    public byte? MaximumQos { get; set; }                          // 0x24
    public byte? RetainAvailable { get; set; }                     // 0x25
    public List<MqttUserProperty>? UserProperties { get; set; }    // 0x26
    public uint? MaximumPacketSize { get; set; }                   // 0x27
    public byte? WildcardSubscriptionAvailable { get; set; }       // 0x28
    public byte? SubscriptionIdentifiersAvailable { get; set; }    // 0x29
    public byte? SharedSubscriptionAvailable { get; set; }         // 0x2A

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
}

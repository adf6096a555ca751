using EmbeddedBroker.Protocol.Writing;

namespace EmbeddedBroker.Protocol.Properties;

/// <summary>
/// Writes a 5.0 property block (section 2.2.2) in ascending identifier order. Sizing and writing are separate so the
/// encoder can compute the whole packet size first and then write in one pass. Setting a property the packet may not
/// carry is a caller bug and throws <see cref="ArgumentException"/> rather than producing a packet peers reject.
/// </summary>
internal static class MqttPropertiesWriter
{
    /// <summary>Size of the property values only (the Property Length value); the block adds its variable byte integer prefix.</summary>
    public static int GetContentSize(MqttProperties p, MqttPropertyContext context)
    {
        if (ReferenceEquals(p, MqttProperties.Empty) || p.IsEmpty)
        {
            return 0;
        }
        var size = 0;
        if (p.PayloadFormatIndicator is not null) size += Check(MqttPropertyId.PayloadFormatIndicator, context, 1 + 1);
        if (p.MessageExpiryInterval is not null) size += Check(MqttPropertyId.MessageExpiryInterval, context, 1 + 4);
        if (p.ContentType is not null) size += Check(MqttPropertyId.ContentType, context, 1 + MqttStrings.GetSize(p.ContentType, "Content Type"));
        if (p.ResponseTopic is not null) size += Check(MqttPropertyId.ResponseTopic, context, 1 + MqttStrings.GetSize(p.ResponseTopic, "Response Topic"));
        if (p.CorrelationData is { } correlation) size += Check(MqttPropertyId.CorrelationData, context, 1 + MqttStrings.GetBinarySize(correlation.Length, "Correlation Data"));
        if (p.SubscriptionIdentifiers is { Count: > 0 } ids)
        {
            if (context != MqttPropertyContext.Publish && ids.Count > 1)
            {
                throw new ArgumentException("Only PUBLISH may carry more than one Subscription Identifier (3.8.2.1.2).");
            }
            foreach (var id in ids)
            {
                size += Check(MqttPropertyId.SubscriptionIdentifier, context, 1 + VariableByteInteger.GetSize(checked((int)id)));
            }
        }
        if (p.SessionExpiryInterval is not null) size += Check(MqttPropertyId.SessionExpiryInterval, context, 1 + 4);
        if (p.AssignedClientIdentifier is not null) size += Check(MqttPropertyId.AssignedClientIdentifier, context, 1 + MqttStrings.GetSize(p.AssignedClientIdentifier, "Assigned Client Identifier"));
        if (p.ServerKeepAlive is not null) size += Check(MqttPropertyId.ServerKeepAlive, context, 1 + 2);
        if (p.AuthenticationMethod is not null) size += Check(MqttPropertyId.AuthenticationMethod, context, 1 + MqttStrings.GetSize(p.AuthenticationMethod, "Authentication Method"));
        if (p.AuthenticationData is { } authData) size += Check(MqttPropertyId.AuthenticationData, context, 1 + MqttStrings.GetBinarySize(authData.Length, "Authentication Data"));
        if (p.RequestProblemInformation is not null) size += Check(MqttPropertyId.RequestProblemInformation, context, 1 + 1);
        if (p.WillDelayInterval is not null) size += Check(MqttPropertyId.WillDelayInterval, context, 1 + 4);
        if (p.RequestResponseInformation is not null) size += Check(MqttPropertyId.RequestResponseInformation, context, 1 + 1);
        if (p.ResponseInformation is not null) size += Check(MqttPropertyId.ResponseInformation, context, 1 + MqttStrings.GetSize(p.ResponseInformation, "Response Information"));
        if (p.ServerReference is not null) size += Check(MqttPropertyId.ServerReference, context, 1 + MqttStrings.GetSize(p.ServerReference, "Server Reference"));
        if (p.ReasonString is not null) size += Check(MqttPropertyId.ReasonString, context, 1 + MqttStrings.GetSize(p.ReasonString, "Reason String"));
        if (p.ReceiveMaximum is not null) size += Check(MqttPropertyId.ReceiveMaximum, context, 1 + 2);
        if (p.TopicAliasMaximum is not null) size += Check(MqttPropertyId.TopicAliasMaximum, context, 1 + 2);
        if (p.TopicAlias is not null) size += Check(MqttPropertyId.TopicAlias, context, 1 + 2);
        if (p.MaximumQos is not null) size += Check(MqttPropertyId.MaximumQos, context, 1 + 1);
        if (p.RetainAvailable is not null) size += Check(MqttPropertyId.RetainAvailable, context, 1 + 1);
        if (p.UserProperties is { Count: > 0 } userProperties)
        {
            foreach (var (name, value) in userProperties)
            {
                size += Check(MqttPropertyId.UserProperty, context, 1 + MqttStrings.GetSize(name, "User Property name") + MqttStrings.GetSize(value, "User Property value"));
            }
        }
        if (p.MaximumPacketSize is not null) size += Check(MqttPropertyId.MaximumPacketSize, context, 1 + 4);
        if (p.WildcardSubscriptionAvailable is not null) size += Check(MqttPropertyId.WildcardSubscriptionAvailable, context, 1 + 1);
        if (p.SubscriptionIdentifiersAvailable is not null) size += Check(MqttPropertyId.SubscriptionIdentifiersAvailable, context, 1 + 1);
        if (p.SharedSubscriptionAvailable is not null) size += Check(MqttPropertyId.SharedSubscriptionAvailable, context, 1 + 1);
        return size;
    }

    /// <summary>Whole block size: Property Length prefix plus content.</summary>
    public static int GetBlockSize(int contentSize) => VariableByteInteger.GetSize(contentSize) + contentSize;

    /// <summary>Writes the block; <paramref name="contentSize"/> comes from <see cref="GetContentSize"/> on the same properties.</summary>
    public static void Write(ref MqttWriter w, MqttProperties p, int contentSize)
    {
        w.WriteVariableByteInteger(contentSize);
        if (contentSize == 0)
        {
            return;
        }
        if (p.PayloadFormatIndicator is { } pfi) { Id(ref w, MqttPropertyId.PayloadFormatIndicator); w.WriteByte(pfi); }
        if (p.MessageExpiryInterval is { } expiry) { Id(ref w, MqttPropertyId.MessageExpiryInterval); w.WriteUInt32(expiry); }
        if (p.ContentType is { } contentType) { Id(ref w, MqttPropertyId.ContentType); w.WriteString(contentType); }
        if (p.ResponseTopic is { } responseTopic) { Id(ref w, MqttPropertyId.ResponseTopic); w.WriteString(responseTopic); }
        if (p.CorrelationData is { } correlation) { Id(ref w, MqttPropertyId.CorrelationData); w.WriteBinary(correlation.Span); }
        if (p.SubscriptionIdentifiers is { Count: > 0 } ids)
        {
            foreach (var id in ids)
            {
                Id(ref w, MqttPropertyId.SubscriptionIdentifier);
                w.WriteVariableByteInteger((int)id);
            }
        }
        if (p.SessionExpiryInterval is { } sessionExpiry) { Id(ref w, MqttPropertyId.SessionExpiryInterval); w.WriteUInt32(sessionExpiry); }
        if (p.AssignedClientIdentifier is { } assigned) { Id(ref w, MqttPropertyId.AssignedClientIdentifier); w.WriteString(assigned); }
        if (p.ServerKeepAlive is { } serverKeepAlive) { Id(ref w, MqttPropertyId.ServerKeepAlive); w.WriteUInt16(serverKeepAlive); }
        if (p.AuthenticationMethod is { } authMethod) { Id(ref w, MqttPropertyId.AuthenticationMethod); w.WriteString(authMethod); }
        if (p.AuthenticationData is { } authData) { Id(ref w, MqttPropertyId.AuthenticationData); w.WriteBinary(authData.Span); }
        if (p.RequestProblemInformation is { } rpi) { Id(ref w, MqttPropertyId.RequestProblemInformation); w.WriteByte(rpi); }
        if (p.WillDelayInterval is { } willDelay) { Id(ref w, MqttPropertyId.WillDelayInterval); w.WriteUInt32(willDelay); }
        if (p.RequestResponseInformation is { } rri) { Id(ref w, MqttPropertyId.RequestResponseInformation); w.WriteByte(rri); }
        if (p.ResponseInformation is { } responseInfo) { Id(ref w, MqttPropertyId.ResponseInformation); w.WriteString(responseInfo); }
        if (p.ServerReference is { } serverReference) { Id(ref w, MqttPropertyId.ServerReference); w.WriteString(serverReference); }
        if (p.ReasonString is { } reason) { Id(ref w, MqttPropertyId.ReasonString); w.WriteString(reason); }
        if (p.ReceiveMaximum is { } receiveMaximum) { Id(ref w, MqttPropertyId.ReceiveMaximum); w.WriteUInt16(receiveMaximum); }
        if (p.TopicAliasMaximum is { } aliasMaximum) { Id(ref w, MqttPropertyId.TopicAliasMaximum); w.WriteUInt16(aliasMaximum); }
        if (p.TopicAlias is { } alias) { Id(ref w, MqttPropertyId.TopicAlias); w.WriteUInt16(alias); }
        if (p.MaximumQos is { } maximumQos) { Id(ref w, MqttPropertyId.MaximumQos); w.WriteByte(maximumQos); }
        if (p.RetainAvailable is { } retainAvailable) { Id(ref w, MqttPropertyId.RetainAvailable); w.WriteByte(retainAvailable); }
        if (p.UserProperties is { Count: > 0 } userProperties)
        {
            foreach (var (name, value) in userProperties)
            {
                Id(ref w, MqttPropertyId.UserProperty);
                w.WriteString(name);
                w.WriteString(value);
            }
        }
        if (p.MaximumPacketSize is { } maximumPacketSize) { Id(ref w, MqttPropertyId.MaximumPacketSize); w.WriteUInt32(maximumPacketSize); }
        if (p.WildcardSubscriptionAvailable is { } wildcard) { Id(ref w, MqttPropertyId.WildcardSubscriptionAvailable); w.WriteByte(wildcard); }
        if (p.SubscriptionIdentifiersAvailable is { } subIds) { Id(ref w, MqttPropertyId.SubscriptionIdentifiersAvailable); w.WriteByte(subIds); }
        if (p.SharedSubscriptionAvailable is { } shared) { Id(ref w, MqttPropertyId.SharedSubscriptionAvailable); w.WriteByte(shared); }
    }

    private static void Id(ref MqttWriter w, MqttPropertyId id) => w.WriteByte((byte)id);

    private static int Check(MqttPropertyId id, MqttPropertyContext context, int size)
    {
        return MqttPropertyRules.IsAllowed(id, context)
            ? size
            : throw new ArgumentException($"Property {id} (0x{(byte)id:X2}) is not allowed on {context} (MQTT 5.0 2.2.2.2).");
    }
}

using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>A client's PUBLISH (3.3): checked against the capabilities, handed to the pipeline, acknowledged in order.</summary>
internal static class PublishHandler
{
    public static async ValueTask HandleAsync(MqttConnection connection, PublishPacket publish)
    {
        var negotiated = connection.Negotiated!;
        var capabilities = connection.Core.Options.Capabilities;
        if (!TryResolveAlias(connection, ref publish, capabilities) || !IsAllowed(connection, publish, negotiated.IsV5, capabilities))
            return;

        if (publish.Payload.Length >= connection.Core.Memory.LargeMessageBytes && connection.Core.Memory.IsExceeded)
        {
            await RefuseForMemoryAsync(connection, publish, negotiated.IsV5).ConfigureAwait(false);
            return;
        }

        var session = negotiated.Session;
        if (publish.Qos == MqttQualityOfService.ExactlyOnce && !session.TryRegisterIncomingQos2(publish.PacketId))
        {
            // MQTT-4.3.3-2 (method B): already received, not yet released: acknowledge again, do not deliver again.
            await connection.Acks.AcknowledgeAsync(new PubRecPacket { PacketId = publish.PacketId }, PublishReceipt.None).ConfigureAwait(false);
            return;
        }

        if (publish.Qos != MqttQualityOfService.AtMostOnce && connection.Quota is { } quota && !quota.TryTake())
        {
            // MQTT-3.3.4-7: more unanswered QoS 1/2 PUBLISH packets than the Receive Maximum the broker announced.
            connection.ProtocolViolation($"more than Receive Maximum {capabilities.ReceiveMaximum} QoS 1/2 publications in flight", MqttReasonCode.ReceiveMaximumExceeded);
            return;
        }

        var message = new MqttApplicationMessage
        {
            Topic = publish.Topic,
            Payload = publish.Payload, // the decoder already copied it out of pipe memory, exactly once
            Qos = publish.Qos,
            Retain = publish.Retain,
            SourceClientId = negotiated.ClientId,
            Source = MessageSource.Client,
            Properties = publish.Properties.TopicAlias is null ? publish.Properties : publish.Properties with { TopicAlias = null }, // an alias is one hop's
        };
        var throttle = connection.Throttle;
        var result = await connection.Core.Pipeline.PublishAsync(message, negotiated.Identity, throttle, connection.Core.Stopping).ConfigureAwait(false);

        if (result.Outcome == PublishOutcome.DollarTopicDropped && connection.Core.Logs.DollarTopicPublishes.TryEnter(out var suppressed))
        {
            connection.Logger.LogWarning("Client {ClientId} published to {Topic}: '$' topics are reserved to the broker, dropped ({Suppressed} more since the last such line)",
                negotiated.ClientId, publish.Topic, suppressed);
        }

        var reason = !negotiated.IsV5 ? MqttReasonCode.Success : result.Outcome switch
        {
            PublishOutcome.NotAuthorized or PublishOutcome.DollarTopicDropped => MqttReasonCode.NotAuthorized,
            PublishOutcome.NoSubscribers => MqttReasonCode.NoMatchingSubscribers,
            _ => MqttReasonCode.Success,
        };

        switch (publish.Qos)
        {
            case MqttQualityOfService.AtLeastOnce:
                // MQTT-4.3.2-2: PUBACK once the message is accepted (handed to every subscriber queue; with an observer's
                // receipt pending, e.g. at-least-once recording, also kept by that observer).
                await connection.Acks.AcknowledgeAsync(new PubAckPacket { PacketId = publish.PacketId, ReasonCode = reason }, result.Receipt)
                    .ConfigureAwait(false);
                break;
            case MqttQualityOfService.ExactlyOnce:
                if ((byte)reason >= 0x80)
                    session.ReleaseIncomingQos2(publish.PacketId); // an error PUBREC ends the flow (5.0 4.3.3)
                await connection.Acks.AcknowledgeAsync(new PubRecPacket { PacketId = publish.PacketId, ReasonCode = reason }, result.Receipt)
                    .ConfigureAwait(false);
                break;
        }

        // After the acknowledgement (it is not held back): pause reading while a subscriber catches up.
        if (throttle is { IsCongested: true })
            await throttle.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>Over the memory budget a large publish is refused: MQTT 5 QoS 1/2 hear 0x97 Quota exceeded (and may try
    /// later), everything else loses its connection, since 3.1.1 and QoS 0 have no way to say no.</summary>
    private static ValueTask RefuseForMemoryAsync(MqttConnection connection, PublishPacket publish, bool isV5)
    {
        if (!isV5 || publish.Qos == MqttQualityOfService.AtMostOnce)
        {
            connection.RefuseForMemory($"a PUBLISH of {publish.Payload.Length} bytes");
            return ValueTask.CompletedTask;
        }

        connection.Core.Statistics.PublishRefusedMemory();
        connection.ReportMemoryRefusal($"a PUBLISH of {publish.Payload.Length} bytes, answered 0x97");
        connection.Quota?.TryTake(); // the error answer gives it back at once
        PublishAcknowledgementPacket ack = publish.Qos == MqttQualityOfService.AtLeastOnce
            ? new PubAckPacket { PacketId = publish.PacketId, ReasonCode = MqttReasonCode.QuotaExceeded }
            : new PubRecPacket { PacketId = publish.PacketId, ReasonCode = MqttReasonCode.QuotaExceeded };
        return connection.Acks.AcknowledgeAsync(ack, PublishReceipt.None);
    }

    /// <summary>MQTT 5 topic aliases (3.3.2.3.4): a PUBLISH with a topic and an alias defines it, one with only the alias
    /// uses it; using one that was never defined on this connection is a Protocol Error.</summary>
    private static bool TryResolveAlias(MqttConnection connection, ref PublishPacket publish, MqttCapabilities capabilities)
    {
        if (publish.Properties.TopicAlias is not { } alias)
            return true;
        if (alias == 0 || alias > capabilities.TopicAliasMaximum)
        {
            // MQTT-3.3.2-8: alias 0 is not permitted; MQTT-3.3.2-9 / 3.3.2-10: nor one above the announced Topic Alias Maximum.
            connection.ProtocolViolation($"topic alias {alias} not within 1 .. Topic Alias Maximum {capabilities.TopicAliasMaximum}", MqttReasonCode.TopicAliasInvalid);
            return false;
        }

        var aliases = connection.InboundAliases ??= new InboundTopicAliases(capabilities.TopicAliasMaximum);
        if (!aliases.TryResolve(alias, publish.Topic, out var topic))
        {
            connection.ProtocolViolation($"topic alias {alias} used before it was defined (3.3.2.3.4)");
            return false;
        }

        if (!ReferenceEquals(topic, publish.Topic))
            publish = new PublishPacket { Topic = topic, Payload = publish.Payload, Qos = publish.Qos, Retain = publish.Retain, Dup = publish.Dup, PacketId = publish.PacketId, Properties = publish.Properties };
        return true;
    }

    /// <summary>The checks a PUBLISH must pass before anything happens to it; a failure closes the connection.</summary>
    private static bool IsAllowed(MqttConnection connection, PublishPacket publish, bool isV5, MqttCapabilities capabilities)
    {
        if (publish.Qos > capabilities.MaximumQos)
        {
            // MQTT-3.2.2-11: a PUBLISH above the announced Maximum QoS; 5.0 DISCONNECT 0x9B.
            connection.ProtocolViolation($"QoS {(int)publish.Qos} above Maximum QoS {(int)capabilities.MaximumQos}", MqttReasonCode.QosNotSupported);
            return false;
        }

        if (publish.Retain && !capabilities.RetainAvailable)
        {
            // MQTT-3.2.2-14: RETAIN=1 although Retain Available is 0; 5.0 DISCONNECT 0x9A.
            connection.ProtocolViolation("retained PUBLISH although retained messages are not available", MqttReasonCode.RetainNotSupported);
            return false;
        }

        if (!MqttTopic.IsValidTopicName(publish.Topic))
        {
            // MQTT-3.3.2-2: no wildcards in a topic name.
            connection.ProtocolViolation($"invalid topic name \"{publish.Topic}\" (MQTT-3.3.2-2)", MqttReasonCode.TopicNameInvalid);
            return false;
        }

        if (isV5 && publish.Properties.SubscriptionIdentifiers is { Count: > 0 })
        {
            connection.ProtocolViolation("PUBLISH from a client carries a subscription identifier (MQTT-3.3.4-6)");
            return false;
        }

        if (publish.Properties.ResponseTopic is { } responseTopic && !MqttTopic.IsValidTopicName(responseTopic))
        {
            // MQTT-3.3.2-14: no wildcards in a Response Topic; MQTT-4.7.3-1: at least one character.
            connection.ProtocolViolation($"Response Topic \"{responseTopic}\" is not a valid topic name (MQTT-3.3.2-14)");
            return false;
        }

        return true;
    }
}

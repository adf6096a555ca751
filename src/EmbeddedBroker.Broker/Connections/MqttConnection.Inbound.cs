using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>The read loop and one handler per packet type after CONNECT.</summary>
internal sealed partial class MqttConnection
{
    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        while (!_closing)
        {
            var result = await input.ReadAsync(_readCts.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var decodedAny = false;
            try
            {
                // Decode every whole packet the buffer holds before reading again.
                while (!_closing)
                {
                    var status = MqttPacketDecoder.TryDecode(buffer, _version, _options.MaximumPacketSize,
                        out var packet, out var consumed, out var error);
                    if (status == DecodeStatus.NeedMoreData)
                        break;
                    if (status != DecodeStatus.Decoded)
                    {
                        DecodeFailure(status, error);
                        return;
                    }

                    var before = buffer.Length;
                    buffer = buffer.Slice(consumed);
                    _statistics.AddBytesReceived(before - buffer.Length);
                    decodedAny = true;
                    await HandlePacketAsync(packet!).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (decodedAny && !_closing)
                _readCts.CancelAfter(_keepAliveTimeout); // any control packet restarts the keep-alive clock (MQTT-3.1.2-24)

            if (result.IsCompleted)
            {
                RequestClose(CloseReason.TransportClosed);
                return;
            }
        }
    }

    private ValueTask HandlePacketAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return HandlePublishAsync(publish);
            case PubAckPacket ack:
                _session!.CompletePubAck(ack.PacketId);
                return ValueTask.CompletedTask;
            case PubRecPacket rec:
                return HandlePubRecAsync(rec);
            case PubRelPacket rel:
                return HandlePubRelAsync(rel);
            case PubCompPacket comp:
                _session!.CompletePubComp(comp.PacketId);
                return ValueTask.CompletedTask;
            case SubscribePacket subscribe:
                return HandleSubscribeAsync(subscribe);
            case UnsubscribePacket unsubscribe:
                return HandleUnsubscribeAsync(unsubscribe);
            case PingReqPacket:
                return EnqueueControlAsync(PingRespPacket.Instance); // MQTT-3.12.4-1
            case DisconnectPacket disconnect:
                HandleDisconnect(disconnect);
                return ValueTask.CompletedTask;
            case ConnectPacket:
                ProtocolViolation("second CONNECT (MQTT-3.1.0-2)");
                return ValueTask.CompletedTask;
            default:
                // CONNACK, SUBACK, UNSUBACK, PINGRESP, AUTH: server-to-client packets, or AUTH without an authentication method.
                ProtocolViolation($"unexpected {packet.Type} from a client");
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask HandlePublishAsync(PublishPacket publish)
    {
        var isV5 = _version == MqttProtocolVersion.V500;
        if (isV5 && publish.Properties.TopicAlias is not null)
        {
            // CONNACK announced Topic Alias Maximum 0: any alias is invalid (MQTT-3.3.2-9 / 3.3.2-10).
            ProtocolViolation("topic alias used although Topic Alias Maximum is 0", MqttReasonCode.TopicAliasInvalid);
            return;
        }

        if (!MqttTopic.IsValidTopicName(publish.Topic))
        {
            // MQTT-3.3.2-2: no wildcards in a topic name.
            ProtocolViolation($"invalid topic name \"{publish.Topic}\" (MQTT-3.3.2-2)", MqttReasonCode.TopicNameInvalid);
            return;
        }

        if (isV5 && publish.Properties.SubscriptionIdentifiers is { Count: > 0 })
        {
            ProtocolViolation("PUBLISH from a client carries a subscription identifier (MQTT-3.3.4-6)");
            return;
        }

        if (publish.Qos == MqttQualityOfService.ExactlyOnce && !_session!.TryRegisterIncomingQos2(publish.PacketId))
        {
            // MQTT-4.3.3-2 (method B): already received, not yet released: acknowledge again, do not deliver again.
            await AcknowledgePublishAsync(new PubRecPacket { PacketId = publish.PacketId }, PublishReceipt.None).ConfigureAwait(false);
            return;
        }

        var message = new MqttApplicationMessage
        {
            Topic = publish.Topic,
            Payload = publish.Payload, // the decoder already copied it out of pipe memory, exactly once
            Qos = publish.Qos,
            Retain = publish.Retain,
            SourceClientId = ClientId,
            Source = MessageSource.Client,
            Properties = publish.Properties,
        };
        var feedback = Feedback;
        var outcome = await _broker.Pipeline.PublishAsync(message, _identity, feedback, _shutdownToken).ConfigureAwait(false);

        if (outcome == PublishOutcome.DollarTopicDropped && !_dollarTopicDropLogged)
        {
            _dollarTopicDropLogged = true;
            _logger.LogWarning("Client {ClientId} published to {Topic}: '$' topics are reserved to the broker, dropped (logged once per connection)",
                ClientId, publish.Topic);
        }

        var reason = outcome switch
        {
            PublishOutcome.NotAuthorized => MqttReasonCode.NotAuthorized,
            PublishOutcome.DollarTopicDropped => MqttReasonCode.NotAuthorized,
            PublishOutcome.NoSubscribers => MqttReasonCode.NoMatchingSubscribers,
            _ => MqttReasonCode.Success,
        };
        if (!isV5)
            reason = MqttReasonCode.Success;

        switch (publish.Qos)
        {
            case MqttQualityOfService.AtLeastOnce:
                // MQTT-4.3.2-2: PUBACK once the message is accepted (here: handed to every subscriber queue; with
                // at-least-once recording, also written by the recorder).
                await AcknowledgePublishAsync(new PubAckPacket { PacketId = publish.PacketId, ReasonCode = reason }, feedback.Receipt)
                    .ConfigureAwait(false);
                break;
            case MqttQualityOfService.ExactlyOnce:
                if ((byte)reason >= 0x80)
                    _session!.ReleaseIncomingQos2(publish.PacketId); // an error PUBREC ends the flow (5.0 4.3.3)
                await AcknowledgePublishAsync(new PubRecPacket { PacketId = publish.PacketId, ReasonCode = reason }, feedback.Receipt)
                    .ConfigureAwait(false);
                break;
        }

        // After the acknowledgement (it is not held back): pause reading while a subscriber catches up.
        if (feedback.Congested.Count > 0)
            await WaitForCongestedSubscribersAsync(feedback.Congested).ConfigureAwait(false);
    }

    private ValueTask HandlePubRecAsync(PubRecPacket rec)
    {
        if ((byte)rec.ReasonCode >= 0x80)
        {
            // 5.0: a PUBREC with an error reason ends the QoS 2 flow; no PUBREL.
            _session!.Abandon(rec.PacketId);
            return ValueTask.CompletedTask;
        }

        // MQTT-4.3.3-1: answer PUBREC with PUBREL. An unknown id still gets one, so the client's flow ends (5.0: 0x92).
        var known = _session!.ReceivedPubRec(rec.PacketId);
        var reason = known || _version != MqttProtocolVersion.V500 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound;
        return EnqueueControlAsync(new PubRelPacket { PacketId = rec.PacketId, ReasonCode = reason });
    }

    private ValueTask HandlePubRelAsync(PubRelPacket rel)
    {
        // MQTT-4.3.3-2: PUBREL releases the packet id; answer PUBCOMP (5.0: 0x92 when the id was unknown).
        var known = _session!.ReleaseIncomingQos2(rel.PacketId);
        var reason = known || _version != MqttProtocolVersion.V500 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound;
        return EnqueueControlAsync(new PubCompPacket { PacketId = rel.PacketId, ReasonCode = reason });
    }

    private async ValueTask HandleSubscribeAsync(SubscribePacket subscribe)
    {
        var isV5 = _version == MqttProtocolVersion.V500;
        if (isV5 && subscribe.Properties.SubscriptionIdentifiers is { Count: > 0 })
        {
            // CONNACK announced Subscription Identifiers Available = 0.
            ProtocolViolation("subscription identifier although not available", MqttReasonCode.SubscriptionIdentifiersNotSupported);
            return;
        }

        var session = _session!;
        var codes = new MqttReasonCode[subscribe.Subscriptions.Count];
        List<(MqttApplicationMessage Message, MqttQualityOfService Qos, bool RetainFlag)>? retained = null;
        List<MqttApplicationMessage>? matches = null;

        for (var i = 0; i < codes.Length; i++)
        {
            var subscription = subscribe.Subscriptions[i];
            var filter = subscription.TopicFilter;
            if (!MqttTopic.IsValidTopicFilter(filter))
            {
                // 3.9.3: return code 0x80 for this filter only, one code per filter (MQTT-3.8.4-5); 5.0: 0x8F.
                codes[i] = isV5 ? MqttReasonCode.TopicFilterInvalid : MqttReasonCode.UnspecifiedError;
                continue;
            }

            if (isV5 && MqttTopic.IsSharedSubscription(filter))
            {
                codes[i] = MqttReasonCode.SharedSubscriptionsNotSupported; // announced unavailable in CONNACK
                continue;
            }

            if (!session.TryAddSubscription(subscription, out var isNew))
            {
                codes[i] = MqttReasonCode.UnspecifiedError; // the session was just taken over and discarded
                continue;
            }

            // The granted QoS is the requested maximum: this broker supports QoS 2 (MQTT-3.8.4-6 allows granting less).
            codes[i] = (MqttReasonCode)(byte)subscription.MaximumQos;

            // Retained messages on subscribe (MQTT-3.3.1-6), also when the subscription is repeated (MQTT-3.8.4-3);
            // 5.0 Retain Handling 1 = only for a new subscription, 2 = never.
            var sendRetained = subscription.RetainHandling switch
            {
                MqttRetainHandling.DoNotSend => false,
                MqttRetainHandling.SendAtSubscribeIfNew => isNew,
                _ => true,
            };
            if (!sendRetained)
                continue;

            matches ??= [];
            _broker.Retained.CollectMatches(filter, matches);
            foreach (var message in matches)
            {
                var qos = message.Qos < subscription.MaximumQos ? message.Qos : subscription.MaximumQos;
                (retained ??= []).Add((message, qos, true)); // retain=1 when sent because of a new subscription (MQTT-3.3.1-8)
            }

            matches.Clear();
        }

        await EnqueueControlAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = codes }).ConfigureAwait(false);

        if (retained is null)
            return;
        foreach (var (message, qos, retainFlag) in retained)
            session.Enqueue(message, qos, retainFlag);
    }

    private ValueTask HandleUnsubscribeAsync(UnsubscribePacket unsubscribe)
    {
        var isV5 = _version == MqttProtocolVersion.V500;
        var codes = isV5 ? new MqttReasonCode[unsubscribe.TopicFilters.Count] : [];
        for (var i = 0; i < unsubscribe.TopicFilters.Count; i++)
        {
            var filter = unsubscribe.TopicFilters[i];
            // MQTT-3.10.4-1: the filter is compared character by character; the subscription is deleted.
            var removed = _session!.RemoveSubscription(filter);
            if (isV5)
            {
                codes[i] = !MqttTopic.IsValidTopicFilter(filter) ? MqttReasonCode.TopicFilterInvalid
                    : removed ? MqttReasonCode.Success
                    : MqttReasonCode.NoSubscriptionExisted;
            }
        }

        // MQTT-3.10.4-4 / -5: UNSUBACK even when nothing was removed.
        return EnqueueControlAsync(new UnsubAckPacket { PacketId = unsubscribe.PacketId, ReasonCodes = codes });
    }

    private void HandleDisconnect(DisconnectPacket disconnect)
    {
        if (_version == MqttProtocolVersion.V500)
        {
            // 5.0 0x04: disconnect normally but publish the will.
            _publishWillAfterDisconnect = disconnect.ReasonCode == MqttReasonCode.DisconnectWithWillMessage;
            if (disconnect.Properties.SessionExpiryInterval is { } expiry)
            {
                if (_session!.ExpiryInterval == 0 && expiry != 0)
                {
                    // MQTT-3.14.2-2: a session that expires at close cannot be extended by DISCONNECT.
                    ProtocolViolation("DISCONNECT sets a Session Expiry Interval after CONNECT had 0 (MQTT-3.14.2-2)");
                    return;
                }

                _session.ExpiryInterval = Math.Min(expiry, _options.MaximumSessionExpiryInterval);
            }
        }

        // MQTT-3.14.4-3: a DISCONNECT discards the will; the server closes the connection (MQTT-3.14.4-1/-2).
        RequestClose(CloseReason.ClientDisconnected);
    }

    /// <summary>Closes for a well-formed but forbidden packet (3.1.1 4.8: close the network connection; 5.0: DISCONNECT
    /// with <paramref name="code"/>, 0x82 Protocol Error by default). Logged once, with the client id.</summary>
    private void ProtocolViolation(string detail, MqttReasonCode code = MqttReasonCode.ProtocolError)
    {
        _statistics.ProtocolViolation();
        _logger.LogWarning("Closing connection of {ClientId} from {RemoteEndPoint}: protocol violation, {Detail}",
            ClientId, Context.RemoteEndPoint, detail);
        RequestClose(CloseReason.ProtocolViolation, code);
    }

    /// <summary>Malformed bytes or a packet over the size limit close this one connection only (5.0: DISCONNECT 0x81 / 0x95).</summary>
    private void DecodeFailure(DecodeStatus status, string? error)
    {
        _statistics.MalformedPacket();
        var tooLarge = status == DecodeStatus.TooLarge;
        _logger.LogWarning("Closing connection of {ClientId} from {RemoteEndPoint}: {Problem}, {Detail}",
            ClientId.Length > 0 ? ClientId : "(before CONNECT)", Context.RemoteEndPoint,
            tooLarge ? "packet too large" : "malformed packet", error);
        RequestClose(tooLarge ? CloseReason.PacketTooLarge : CloseReason.MalformedPacket,
            tooLarge ? MqttReasonCode.PacketTooLarge : MqttReasonCode.MalformedPacket);
    }
}

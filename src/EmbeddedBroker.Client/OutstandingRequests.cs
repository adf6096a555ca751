using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// The client's requests that wait for the server's answer: QoS 1/2 publishes (PUBACK; PUBREC, PUBREL, PUBCOMP),
/// SUBSCRIBE and UNSUBSCRIBE. Sends them through the writer with an identifier from <see cref="PendingOperations"/> and
/// completes each on its answer, which the read loop hands here.
/// </summary>
internal sealed class OutstandingRequests
{
    private readonly ClientWriter _writer;
    private readonly MqttProtocolVersion _version;
    private readonly PublishSizeLimit _sizeLimit;
    private readonly PendingOperations _pending;

    /// <param name="publishQuota">How many QoS 1/2 publishes may await acknowledgement at once.</param>
    public OutstandingRequests(ClientWriter writer, MqttProtocolVersion version, PublishSizeLimit sizeLimit, int publishQuota)
    {
        _writer = writer;
        _version = version;
        _sizeLimit = sizeLimit;
        _pending = new PendingOperations(publishQuota, SendPublish);
    }

    public async Task PublishAsync(PendingOperation publish, CancellationToken cancellationToken)
    {
        if (_sizeLimit.IsSet)
        {
            _sizeLimit.Check(publish.ToPacketForSizing()); // no identifier yet: it is taken when the window has room
        }

        _pending.StartPublish(publish);
        try
        {
            await publish.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not sent yet: it will be skipped. Already sent: it stays in flight until answered, the caller just stops waiting.
            publish.TrySetCanceled(cancellationToken);
            throw;
        }
    }

    public Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, MqttProperties properties, CancellationToken cancellationToken)
    {
        var operation = new PendingOperation(PendingKind.Subscribe, subscriptions.Count);
        _pending.Register(operation);
        var packet = new SubscribePacket { PacketId = operation.PacketId, Subscriptions = subscriptions, Properties = properties };
        return SendAndAwaitAsync(packet, operation, cancellationToken);
    }

    public Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var operation = new PendingOperation(PendingKind.Unsubscribe, filters.Count);
        _pending.Register(operation);
        var packet = new UnsubscribePacket { PacketId = operation.PacketId, TopicFilters = filters };
        return SendAndAwaitAsync(packet, operation, cancellationToken);
    }

    public void OnPubAck(PubAckPacket pubAck) => CompletePublish(pubAck, PendingKind.PublishQos1);

    public void OnPubComp(PubCompPacket pubComp) => CompletePublish(pubComp, PendingKind.PublishQos2AwaitingPubComp);

    public void OnSubAck(SubAckPacket subAck) => CompleteRequest(subAck.PacketId, PendingKind.Subscribe, subAck.ReasonCodes);

    public void OnUnsubAck(UnsubAckPacket unsubAck) => CompleteRequest(unsubAck.PacketId, PendingKind.Unsubscribe, unsubAck.ReasonCodes);

    public void OnPubRec(PubRecPacket pubRec)
    {
        var operation = _pending.Find(pubRec.PacketId);
        if (operation is not { Kind: PendingKind.PublishQos2AwaitingPubRec or PendingKind.PublishQos2AwaitingPubComp })
        {
            // Not ours (e.g. a raw packet sent by a test). Release it anyway so the server's state ends (MQTT-4.3.3).
            _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubRel, pubRec.PacketId));
            return;
        }

        if (IsAcknowledgementFailure(pubRec.ReasonCode))
        {
            // 5.0: a failing PUBREC ends the exchange; no PUBREL follows (MQTT-4.3.3-6 note).
            _pending.Remove(operation);
            operation.TrySetException(new MqttOperationException(MqttPacketType.PubRec, pubRec.ReasonCode));
            return;
        }

        operation.Kind = PendingKind.PublishQos2AwaitingPubComp;
        _writer.Send(OutgoingPacket.ForAck(MqttPacketType.PubRel, pubRec.PacketId));
    }

    /// <summary>Fails every waiting request and refuses new ones: the connection is gone.</summary>
    public void FailAll(Exception reason) => _pending.FailAll(reason);

    /// <summary>Called by <see cref="PendingOperations"/> (under its lock, in order) when a publish got its identifier.</summary>
    private bool SendPublish(PendingOperation publish) => _writer.TryWrite(OutgoingPacket.ForPacket(publish.ToPublishPacket()));

    private async Task<IReadOnlyList<MqttReasonCode>> SendAndAwaitAsync(MqttPacket packet, PendingOperation operation, CancellationToken cancellationToken)
    {
        if (!_writer.TryWrite(OutgoingPacket.ForPacket(packet)))
        {
            _pending.Remove(operation);
            throw new MqttConnectionClosedException();
        }

        var reasonCodes = await operation.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return reasonCodes!;
    }

    private void CompletePublish(PublishAcknowledgementPacket ack, PendingKind expected)
    {
        var operation = _pending.Find(ack.PacketId);
        if (operation is null || operation.Kind != expected || !_pending.Remove(operation))
        {
            return;
        }

        if (IsAcknowledgementFailure(ack.ReasonCode))
        {
            operation.TrySetException(new MqttOperationException(ack.Type, ack.ReasonCode));
        }
        else
        {
            operation.TrySetResult(null);
        }
    }

    private void CompleteRequest(ushort packetId, PendingKind expected, IReadOnlyList<MqttReasonCode> reasonCodes)
    {
        var operation = _pending.Find(packetId);
        if (operation is null || operation.Kind != expected || !_pending.Remove(operation))
        {
            return;
        }

        if (reasonCodes.Count == 0 && expected == PendingKind.Unsubscribe)
        {
            // 3.x UNSUBACK carries no codes: the server removed what it had.
            reasonCodes = Enumerable.Repeat(MqttReasonCode.Success, operation.FilterCount).ToArray();
        }

        operation.TrySetResult(reasonCodes);
    }

    private bool IsAcknowledgementFailure(MqttReasonCode reasonCode) => _version == MqttProtocolVersion.V500 && (byte)reasonCode >= 0x80;
}

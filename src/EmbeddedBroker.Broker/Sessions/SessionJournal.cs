using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// Tells the store (<see cref="IBrokerStore"/>) each change of one session, as it happens, when the session outlives
/// its connection: only those are kept across restarts, and only their QoS 1/2 deliveries (a QoS 0 message is not kept
/// for an offline client anyway). Called under the session's lock; every store call only enqueues.
/// </summary>
internal sealed class SessionJournal(IBrokerStore store, MqttSession session)
{
    private bool Keeps => session.ExpiryInterval > 0;

    public void Queued(in QueuedDelivery delivery)
    {
        if (Keeps && delivery.Qos != MqttQualityOfService.AtMostOnce)
            store.SaveDelivery(session.ClientId, new StoredDelivery(delivery.Sequence, delivery.Message, delivery.Qos, delivery.Retain, 0, StoredDeliveryState.Queued));
    }

    public void Sent(InflightDelivery entry)
    {
        if (Keeps)
            store.UpdateDelivery(session.ClientId, entry.Sequence, entry.PacketId, entry.StoredState);
    }

    public void Ended(in QueuedDelivery delivery)
    {
        if (Keeps && delivery.Qos != MqttQualityOfService.AtMostOnce)
            store.DeleteDelivery(session.ClientId, delivery.Sequence);
    }

    public void Subscribed(MqttTopicSubscription subscription)
    {
        if (Keeps)
            store.SaveSubscription(session.ClientId, subscription);
    }

    public void Unsubscribed(string topicFilter)
    {
        if (Keeps)
            store.DeleteSubscription(session.ClientId, topicFilter);
    }

    public void Qos2Received(ushort packetId)
    {
        if (Keeps)
            store.SaveIncomingQos2(session.ClientId, packetId);
    }

    public void Qos2Released(ushort packetId)
    {
        if (Keeps)
            store.DeleteIncomingQos2(session.ClientId, packetId);
    }
}

using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

internal enum ChangeKind : byte
{
    SetRetained,
    ClearRetained,
    SaveSession,
    DeleteSession,
    SaveSubscription,
    DeleteSubscription,
    SaveDelivery,
    UpdateDelivery,
    DeleteDelivery,
    SaveIncomingQos2,
    DeleteIncomingQos2,
    SaveWill,
    DeleteWill,
    FlushBarrier,
}

/// <summary>
/// One change handed over by the engine, as queued for the writer. A struct so that queueing it allocates nothing of
/// its own: the queue stores it in its segments, and the objects it points to (message, session, ...) already exist.
/// <see cref="Size"/> is the estimate charged against the byte bound, released when the change is committed or
/// coalesced away. <see cref="Key"/> is the client id of a session change, the topic of a retained change.
/// </summary>
internal readonly record struct StoreChange(
    ChangeKind Kind,
    string Key,
    object? Value,
    string? Text = null,
    long Sequence = 0,
    ushort PacketId = 0,
    StoredDeliveryState State = StoredDeliveryState.Queued,
    int Size = ChangeSize.Overhead)
{
    public static StoreChange SetRetained(MqttApplicationMessage message) =>
        new(ChangeKind.SetRetained, message.Topic, message, Size: ChangeSize.Of(message));

    public static StoreChange ClearRetained(string topic) =>
        new(ChangeKind.ClearRetained, topic, null, Size: ChangeSize.Of(topic));

    public static StoreChange SaveSession(StoredSession session) =>
        new(ChangeKind.SaveSession, session.ClientId, session, Size: ChangeSize.Of(session.ClientId) + ChangeSize.Of(session.Username));

    public static StoreChange DeleteSession(string clientId) =>
        new(ChangeKind.DeleteSession, clientId, null, Size: ChangeSize.Of(clientId));

    public static StoreChange SaveSubscription(string clientId, MqttTopicSubscription subscription) =>
        new(ChangeKind.SaveSubscription, clientId, subscription, subscription.TopicFilter,
            Size: ChangeSize.Of(clientId) + ChangeSize.Of(subscription.TopicFilter));

    public static StoreChange DeleteSubscription(string clientId, string topicFilter) =>
        new(ChangeKind.DeleteSubscription, clientId, null, topicFilter, Size: ChangeSize.Of(clientId) + ChangeSize.Of(topicFilter));

    public static StoreChange SaveDelivery(string clientId, StoredDelivery delivery) =>
        new(ChangeKind.SaveDelivery, clientId, delivery, Sequence: delivery.Sequence,
            Size: ChangeSize.Of(clientId) + ChangeSize.Of(delivery.Message));

    public static StoreChange UpdateDelivery(string clientId, long sequence, ushort packetId, StoredDeliveryState state) =>
        new(ChangeKind.UpdateDelivery, clientId, null, Sequence: sequence, PacketId: packetId, State: state, Size: ChangeSize.Of(clientId));

    public static StoreChange DeleteDelivery(string clientId, long sequence) =>
        new(ChangeKind.DeleteDelivery, clientId, null, Sequence: sequence, Size: ChangeSize.Of(clientId));

    public static StoreChange SaveIncomingQos2(string clientId, ushort packetId) =>
        new(ChangeKind.SaveIncomingQos2, clientId, null, PacketId: packetId, Size: ChangeSize.Of(clientId));

    public static StoreChange DeleteIncomingQos2(string clientId, ushort packetId) =>
        new(ChangeKind.DeleteIncomingQos2, clientId, null, PacketId: packetId, Size: ChangeSize.Of(clientId));

    public static StoreChange SaveWill(string clientId, StoredWill will) =>
        new(ChangeKind.SaveWill, clientId, will, Size: ChangeSize.Of(clientId) + ChangeSize.Of(will.Message) + ChangeSize.Of(will.Username));

    public static StoreChange DeleteWill(string clientId) =>
        new(ChangeKind.DeleteWill, clientId, null, Size: ChangeSize.Of(clientId));

    public static StoreChange Barrier(FlushBarrier barrier) => new(ChangeKind.FlushBarrier, "", barrier);
}
